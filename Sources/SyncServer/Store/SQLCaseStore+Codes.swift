import Crypto
import Foundation
import MutualAidDomain
import SyncStorage

/// SMS codes (`verification_code`) and the counters that limit sending them (`code_request`).
/// A code is kept as a hash and a request counts against its keys in the same transaction as
/// the code and its SMS, so parallel requests cannot slip past a limit.
enum VerificationCodes {
    typealias Purpose = VerificationPolicy.Purpose

    /// Counter keys are hashes: the table holds no ID number, mobile or address in clear.
    static func key(_ kind: String, _ value: String) -> String {
        kind + ":" + RecordDigest.hex(SHA256.hash(data: Data(value.utf8)))
    }

    static func codeHash(_ purpose: Purpose, subject: String, code: String) -> String {
        RecordDigest.hex(SHA256.hash(data: Data("\(purpose.rawValue):\(subject):\(code)".utf8)))
    }

    static func counter(_ db: any SQLConnection, _ key: String) throws -> VerificationPolicy.Counter? {
        guard
            let row = try db.fetchOne(
                sql: "SELECT count, window_start, last_sent FROM code_request WHERE key = ?", arguments: [key]),
            let start = Timestamp.parse(try row["window_start"]), let last = Timestamp.parse(try row["last_sent"])
        else { return nil }
        return VerificationPolicy.Counter(count: try row["count"], windowStart: start, lastSent: last)
    }

    static func count(_ db: any SQLConnection, _ key: String, policy: VerificationPolicy, now: Date) throws {
        let next = policy.counting(try counter(db, key), now: now)
        try db.execute(
            sql: """
                INSERT INTO code_request (key, count, window_start, last_sent) VALUES (?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET count = excluded.count, window_start = excluded.window_start,
                last_sent = excluded.last_sent
                """,
            arguments: [key, next.count, Timestamp.format(next.windowStart), Timestamp.format(next.lastSent)])
        // Old windows are dropped as requests come in, so the table stays small.
        try db.execute(
            sql: "DELETE FROM code_request WHERE last_sent < ?",
            arguments: [Timestamp.format(now.addingTimeInterval(-2 * policy.window))])
    }

    /// A new code for the subject (replacing any earlier one) and its SMS, in the caller's transaction.
    static func issue(
        _ db: any SQLConnection, _ purpose: Purpose, subject: String, mobile: String, policy: VerificationPolicy,
        sms: any SMSGateway, now: Date
    ) throws {
        let code = VerificationPolicy.newCode()
        try db.execute(
            sql: """
                INSERT INTO verification_code (purpose, subject, code_hash, mobile, attempts, expires_at, created_at)
                VALUES (?, ?, ?, ?, 0, ?, ?)
                ON CONFLICT (purpose, subject) DO UPDATE SET code_hash = excluded.code_hash, mobile = excluded.mobile,
                attempts = 0, expires_at = excluded.expires_at, created_at = excluded.created_at
                """,
            arguments: [
                purpose.rawValue, subject, codeHash(purpose, subject: subject, code: code), mobile,
                Timestamp.format(now.addingTimeInterval(policy.validity)), Timestamp.format(now),
            ])
        let minutes = Int(policy.validity / 60)
        let action = purpose == .activate ? "激活会员身份" : "重置密码"
        let text = { (shown: String) in
            "【职工互助保障】您正在\(action)，验证码 \(shown)，\(minutes)分钟内有效。如非本人操作，请忽略本短信，切勿将验证码告诉他人。"
        }
        try sms.send(to: mobile, text: text(code), redacted: text("******"), now: now, db)
    }

    /// Checks a typed code and counts a wrong one; a void or expired code is removed.
    static func check(
        _ db: any SQLConnection, _ purpose: Purpose, subject: String, code: String, policy: VerificationPolicy,
        now: Date
    ) throws -> (check: VerificationPolicy.Check, mobile: String?) {
        guard
            let row = try db.fetchOne(
                sql: """
                    SELECT code_hash, mobile, attempts, expires_at FROM verification_code WHERE purpose = ? AND subject = ?
                    """, arguments: [purpose.rawValue, subject]),
            let expires = Timestamp.parse(try row["expires_at"])
        else { return (.missing, nil) }
        let matches = (try row["code_hash"] as String) == codeHash(purpose, subject: subject, code: code)
        let check = policy.check(matches: matches, attempts: try row["attempts"], expiresAt: expires, now: now)
        switch check {
        case .valid: break
        case .wrong(let remaining) where remaining > 0:
            try db.execute(
                sql: "UPDATE verification_code SET attempts = attempts + 1 WHERE purpose = ? AND subject = ?",
                arguments: [purpose.rawValue, subject])
        case .wrong, .expired, .missing:
            try consume(db, purpose, subject: subject)
        }
        return (check, try row["mobile"])
    }

    /// Uses the code up; false when it is no longer there (used by a parallel request).
    @discardableResult
    static func consume(_ db: any SQLConnection, _ purpose: Purpose, subject: String, hash: String? = nil) throws
        -> Bool
    {
        if let hash {
            try db.execute(
                sql: "DELETE FROM verification_code WHERE purpose = ? AND subject = ? AND code_hash = ?",
                arguments: [purpose.rawValue, subject, hash])
        } else {
            try db.execute(
                sql: "DELETE FROM verification_code WHERE purpose = ? AND subject = ?",
                arguments: [purpose.rawValue, subject])
        }
        return db.changesCount == 1
    }
}

import Foundation
import MutualAidDomain
import SyncStorage

/// What came of a request for a code.
public enum CodeRequestOutcome: Sendable, Equatable {
    case sent(mobile: String)
    /// ID number, name and mobile do not match one insured person (which of them is not told).
    case mismatch
    case alreadyActivated
    case wait(seconds: Int)
    /// A reset asked for an account that does not exist or has no mobile: answered like `sent`.
    case silent
}

/// What came of a typed code. `valid` carries what the second step needs.
public enum CodeUseOutcome: Sendable, Equatable {
    case valid(subject: String, codeHash: String)
    case wrong(remaining: Int)
    case expired
    case missing
    case alreadyActivated
}

/// Activation (激活会员身份) and password reset by SMS code. Each step is one transaction; the
/// password is hashed between the check of the code and its use, outside any transaction.
extension SQLCaseStore {
    /// Sends an activation code when the three fields match a person covered by a confirmed
    /// enrolment who has no account yet.
    public func requestActivationCode(
        idNumber: String, name: String, mobile: String, address: String, policy: VerificationPolicy,
        sms: any SMSGateway, now: Date
    ) async throws -> CodeRequestOutcome {
        try await database.write { db in
            let addressKey = VerificationCodes.key("address", address)
            let byAddress = try VerificationCodes.counter(db, addressKey)
            if case .wait(let s) = policy.decide(person: nil, mobile: nil, address: byAddress, now: now) {
                return .wait(seconds: s)
            }
            // Counted before the match, so a mismatch costs the address a request too.
            try VerificationCodes.count(db, addressKey, policy: policy, now: now)
            guard let memberId = try Self.insuredMember(db, idNumber: idNumber, name: name, mobile: mobile) else {
                return .mismatch
            }
            if try Self.hasAccount(db, memberId: memberId, idNumber: idNumber) { return .alreadyActivated }
            let personKey = VerificationCodes.key("person", idNumber)
            let mobileKey = VerificationCodes.key("mobile", mobile)
            let decision = policy.decide(
                person: try VerificationCodes.counter(db, personKey),
                mobile: try VerificationCodes.counter(db, mobileKey), address: nil, now: now)
            if case .wait(let s) = decision { return .wait(seconds: s) }
            try VerificationCodes.count(db, personKey, policy: policy, now: now)
            try VerificationCodes.count(db, mobileKey, policy: policy, now: now)
            try VerificationCodes.issue(
                db, .activate, subject: memberId, mobile: mobile, policy: policy, sms: sms, now: now)
            return .sent(mobile: MobileMask.masked(mobile))
        }
    }

    /// The member with this ID number and name, covered by a confirmed enrolment, whose mobile in
    /// the unit's records or in an enrolment list is `mobile`.
    static func insuredMember(_ db: any SQLConnection, idNumber: String, name: String, mobile: String) throws
        -> String?
    {
        guard
            let member = try db.fetchOne(
                sql: "SELECT id, name, mobile FROM member WHERE id_number = ?", arguments: [idNumber]),
            (try member["name"] as String) == name,
            try db.fetchValue(
                Int.self, sql: "SELECT 1 FROM enrolment WHERE id_number = ? LIMIT 1", arguments: [idNumber])
                != nil
        else { return nil }
        if (try member["mobile"] as String?) == mobile { return try member["id"] }
        let listed = try db.fetchValue(
            Int.self, sql: "SELECT 1 FROM enrolment_person WHERE id_number = ? AND mobile = ? LIMIT 1",
            arguments: [idNumber, mobile])
        return listed != nil ? try member["id"] : nil
    }

    static func hasAccount(_ db: any SQLConnection, memberId: String, idNumber: String) throws -> Bool {
        try db.fetchValue(
            Int.self, sql: "SELECT 1 FROM account WHERE member_id = ? OR login = ? LIMIT 1",
            arguments: [memberId, idNumber]) != nil
    }

    /// Checks an activation code (a wrong one is counted).
    public func checkActivationCode(idNumber: String, code: String, policy: VerificationPolicy, now: Date)
        async throws -> CodeUseOutcome
    {
        try await database.write { db in
            guard
                let memberId = try db.fetchValue(
                    String.self, sql: "SELECT id FROM member WHERE id_number = ?", arguments: [idNumber])
            else { return .missing }
            // Without the matching fields, an existing account is not told apart from no code.
            if try Self.hasAccount(db, memberId: memberId, idNumber: idNumber) { return .missing }
            return try Self.use(db, .activate, subject: memberId, code: code, policy: policy, now: now)
        }
    }

    /// Creates the member's account (login: the ID number) and its first session, using the code
    /// up. Nil when the code was used meanwhile or the account exists already.
    public func activate(
        memberId: String, codeHash: String, passwordHash: String, session: NewSession, now: Date
    ) async throws -> String? {
        try await database.write { db in
            guard
                let member = try db.fetchOne(
                    sql: "SELECT unit_id, name, id_number FROM member WHERE id = ?", arguments: [memberId]),
                let mobile = try db.fetchValue(
                    String.self, sql: "SELECT mobile FROM verification_code WHERE purpose = ? AND subject = ?",
                    arguments: [VerificationPolicy.Purpose.activate.rawValue, memberId]),
                try VerificationCodes.consume(db, .activate, subject: memberId, hash: codeHash)
            else { return nil }
            let idNumber: String = try member["id_number"]
            if try Self.hasAccount(db, memberId: memberId, idNumber: idNumber) { return nil }
            let id = UUID().uuidString.lowercased()
            try db.execute(
                sql: """
                    INSERT INTO account (id, login, role, org_id, name, member_id, password_hash, must_change_password, created_at, mobile)
                    VALUES (?, ?, 'member', ?, ?, ?, ?, 0, ?, ?)
                    """,
                arguments: [
                    id, idNumber, try member["unit_id"] as String, try member["name"] as String, memberId,
                    passwordHash, Timestamp.format(now), mobile,
                ])
            try Self.insertSession(
                db, tokenHash: session.tokenHash, accountId: id, expiresAt: session.expiresAt,
                clientId: session.clientId, address: session.address, now: now)
            return id
        }
    }

    static func use(
        _ db: any SQLConnection, _ purpose: VerificationPolicy.Purpose, subject: String, code: String,
        policy: VerificationPolicy, now: Date
    ) throws -> CodeUseOutcome {
        switch try VerificationCodes.check(db, purpose, subject: subject, code: code, policy: policy, now: now).check {
        case .valid:
            return .valid(subject: subject, codeHash: VerificationCodes.codeHash(purpose, subject: subject, code: code))
        case .wrong(let remaining): return .wrong(remaining: remaining)
        case .expired: return .expired
        case .missing: return .missing
        }
    }
}

/// A session to open with an account: the hash of its token and where it comes from.
public struct NewSession: Sendable {
    public var tokenHash: String
    public var expiresAt: Date
    public var clientId: String?
    public var address: String?
}

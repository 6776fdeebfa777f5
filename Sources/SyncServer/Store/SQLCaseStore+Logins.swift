import Foundation
import SyncStorage

/// Login back-off records (`login_backoff`), password changes and rehashes.
extension SQLCaseStore {
    public func reserveLoginAttempt(
        login: String, address: String, throttle: LoginThrottle,
        now: Date
    ) async throws -> LoginThrottle.Decision {
        let keys = LoginThrottle.keys(login: login, address: address)
        return try await database.write { db in
            let records = LoginThrottle.Records(
                pair: try Self.backoff(db, keys.pair), address: try Self.backoff(db, keys.address),
                account: try Self.backoff(db, keys.account))
            let decision = throttle.decide(records, now: now)
            guard decision == .allow else { return decision }
            try Self.save(db, keys.pair, throttle.afterAttempt(records.pair, now: now))
            try Self.save(db, keys.address, throttle.afterAttempt(records.address, now: now))
            try Self.save(db, keys.account, throttle.afterAttempt(records.account, now: now))
            // Forgotten records are dropped as attempts come in, so the table stays small.
            try db.execute(
                sql: "DELETE FROM login_backoff WHERE last_failure < ?",
                arguments: [Timestamp.format(now.addingTimeInterval(-throttle.forgetAfter))])
            return decision
        }
    }

    public func releaseLoginAttempt(login: String, address: String, succeeded: Bool, throttle: LoginThrottle)
        async throws
    {
        let keys = LoginThrottle.keys(login: login, address: address)
        try await database.write { db in
            try Self.save(db, keys.pair, succeeded ? nil : throttle.takingBack(try Self.backoff(db, keys.pair)))
            try Self.save(db, keys.address, throttle.takingBack(try Self.backoff(db, keys.address)))
            try Self.save(db, keys.account, throttle.takingBack(try Self.backoff(db, keys.account)))
        }
    }

    public func rehashPassword(accountId: String, from old: String, to new: String) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE account SET password_hash = ? WHERE id = ? AND password_hash = ?",
                arguments: [new, accountId, old])
        }
    }

    public func setPassword(accountId: String, hash: String, keepingSession tokenHash: String?) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE account SET password_hash = ?, must_change_password = 0 WHERE id = ?",
                arguments: [hash, accountId])
            try db.execute(
                sql: "DELETE FROM session WHERE account_id = ? AND token_hash IS DISTINCT FROM ?",
                arguments: [accountId, tokenHash])
        }
    }

    private static func backoff(_ db: any SQLConnection, _ key: String) throws -> LoginThrottle.Record? {
        guard
            let row = try db.fetchOne(
                sql: "SELECT failures, last_failure FROM login_backoff WHERE key = ?", arguments: [key]),
            let last = Timestamp.parse(try row["last_failure"])
        else { return nil }
        return LoginThrottle.Record(failures: try row["failures"], lastFailure: last)
    }

    private static func save(_ db: any SQLConnection, _ key: String, _ record: LoginThrottle.Record?) throws {
        guard let record else {
            try db.execute(sql: "DELETE FROM login_backoff WHERE key = ?", arguments: [key])
            return
        }
        try db.execute(
            sql: """
                INSERT INTO login_backoff (key, failures, last_failure) VALUES (?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure
                """, arguments: [key, record.failures, Timestamp.format(record.lastFailure)])
    }
}

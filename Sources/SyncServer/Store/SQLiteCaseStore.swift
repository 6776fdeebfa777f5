import Foundation
import GRDB
import MutualAidDomain
import Schema
import SyncProtocol

/// The embedded case store: one SQLite file in WAL mode, one writer, commits synced to disk
/// before any answer leaves the server.
public final class SQLiteCaseStore: CaseStore {
    let pool: DatabasePool

    public init(path: String) throws {
        var config = Configuration()
        config.prepareDatabase { db in
            // FULL: a commit is on disk when `write` returns, so an answer never outruns it.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        config.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: config)
        try Self.migrator().migrate(pool)
    }

    static func migrator() throws -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in try Schema.migrations(for: .server) {
            migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }

    public func isEmpty() async throws -> Bool {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM org") == 0 }
    }

    // MARK: Accounts and sessions

    public func account(login: String) async throws -> StoredAccount? {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, password_hash, must_change_password FROM account WHERE login = ?
                        """, arguments: [login])
            else { return nil }
            return StoredAccount(
                id: row["id"], passwordHash: row["password_hash"],
                mustChangePassword: row["must_change_password"])
        }
    }

    public func createSession(tokenHash: String, accountId: String, expiresAt: Date, now: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM session WHERE expires_at < ?", arguments: [Timestamp.format(now)])
            try db.execute(
                sql: "INSERT INTO session (token_hash, account_id, expires_at, created_at) VALUES (?, ?, ?, ?)",
                arguments: [tokenHash, accountId, Timestamp.format(expiresAt), Timestamp.format(now)])
        }
    }

    public func session(tokenHash: String, now: Date) async throws -> SessionLookup {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT s.expires_at, a.id, a.login, a.name, a.role, a.org_id, a.member_id, a.must_change_password, o.path, o.level
                        FROM session s JOIN account a ON a.id = s.account_id JOIN org o ON o.id = a.org_id
                        WHERE s.token_hash = ?
                        """, arguments: [tokenHash])
            else { return .missing }
            guard let expires = Timestamp.parse(row["expires_at"]), expires > now else { return .expired }
            guard let role = Role(rawValue: row["role"]), let level = OrgLevel(rawValue: row["level"]) else {
                return .missing
            }
            return .valid(
                Principal(
                    accountId: row["id"], login: row["login"], name: row["name"], role: role,
                    orgId: row["org_id"], orgPath: row["path"], orgLevel: role == .member ? .member : level,
                    memberId: row["member_id"], mustChangePassword: row["must_change_password"]))
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    public func accountInfo(accountId: String) async throws -> AccountInfo? {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT a.id, a.login, a.role, a.name, a.org_id, a.member_id, o.name AS org_name, o.level
                        FROM account a JOIN org o ON o.id = a.org_id WHERE a.id = ?
                        """, arguments: [accountId]),
                let role = Role(rawValue: row["role"]), let orgLevel = OrgLevel(rawValue: row["level"])
            else { return nil }
            return AccountInfo(
                id: row["id"], login: row["login"], role: role, name: row["name"],
                orgId: row["org_id"], orgName: row["org_name"],
                level: role == .member ? .member : orgLevel, memberId: row["member_id"])
        }
    }
}

/// UTC ISO 8601 text for stored instants ("2026-11-29T01:45:40.123Z"); sorts like the instants.
enum Timestamp {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func format(_ date: Date) -> String { style.format(date) }

    static func parse(_ text: String) -> Date? { try? style.parse(text) }
}

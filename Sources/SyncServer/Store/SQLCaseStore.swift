import Foundation
import GRDB
import MutualAidDomain
import PostgresStorage
import Schema
import SyncProtocol
import SyncStorage

/// The central case store over a SQL database: the embedded SQLite file (`init(path:)`, the
/// default for one office) or PostgreSQL shared by several server processes. The business
/// SQL is written once against `SQLConnection`; each `write` is one durable transaction and
/// writes are serialized, by GRDB's one writer or by PostgreSQL's advisory lock.
public final class SQLCaseStore: CaseStore {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// Opens (and migrates) the embedded store: one SQLite file in WAL mode, commits synced to
    /// disk before any answer leaves the server.
    public convenience init(path: String) throws {
        // FULL: a commit is on disk when `write` returns, so an answer never outruns it.
        let pool = try DurableSQLite.pool(path: path)
        let migrator = try Self.migrator()
        try NewerSchema.check(pool, against: migrator)
        try migrator.migrate(pool)
        self.init(database: SQLiteDatabase(pool))
    }

    /// Connects to (and migrates) a case store on PostgreSQL that several server processes
    /// may share.
    public static func connect(
        url: PostgresURL, poolSize: Int = 8, beforeCommit: (@Sendable () -> Void)? = nil
    ) async throws -> SQLCaseStore {
        let database = PostgresDatabase(url: url, poolSize: poolSize, beforeCommit: beforeCommit)
        do {
            try await database.migrate(try Schema.migrations(for: .postgres).map { ($0.name, $0.sql) })
        } catch {
            await database.close()
            throw error
        }
        return SQLCaseStore(database: database)
    }

    static func migrator() throws -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in try Schema.migrations(for: .server) {
            migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }

    /// Whether the database answers now (readiness), within a few seconds.
    public func isReachable() async -> Bool {
        let database = self.database
        let probe = Task { (try? await database.read { db in try db.fetchValue(Int.self, sql: "SELECT 1") }) == 1 }
        let timeout = Task {
            try? await Task.sleep(for: .seconds(3))
            probe.cancel()
        }
        defer { timeout.cancel() }
        return await probe.value
    }

    public func isEmpty() async throws -> Bool {
        try await database.read { db in try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM org") == 0 }
    }

    // MARK: Accounts and sessions

    public func account(login: String) async throws -> StoredAccount? {
        try await database.read { db in
            guard let row = try Self.accountRow(db, login: login) else { return nil }
            return StoredAccount(
                id: try row["id"], login: try row["login"], passwordHash: try row["password_hash"],
                mustChangePassword: try row["must_change_password"],
                disabled: (try row["disabled_at"] as String?) != nil)
        }
    }

    public func createSession(
        tokenHash: String, accountId: String, expiresAt: Date, clientId: String?, address: String?, now: Date
    ) async throws {
        try await database.write { db in
            try Self.insertSession(
                db, tokenHash: tokenHash, accountId: accountId, expiresAt: expiresAt, clientId: clientId,
                address: address, now: now)
        }
    }

    public func session(tokenHash: String, now: Date) async throws -> SessionLookup {
        try await database.read { db in
            guard
                let row = try db.fetchOne(
                    sql: """
                        SELECT s.expires_at, s.last_seen, a.id, a.login, a.name, a.role, a.org_id, a.member_id, a.must_change_password, o.path, o.level
                        FROM session s JOIN account a ON a.id = s.account_id JOIN org o ON o.id = a.org_id
                        WHERE s.token_hash = ? AND a.disabled_at IS NULL
                        """, arguments: [tokenHash])
            else { return .missing }
            guard let expires = Timestamp.parse(try row["expires_at"]), expires > now else { return .expired }
            guard let role = Role(rawValue: try row["role"]), let level = OrgLevel(rawValue: try row["level"]) else {
                return .missing
            }
            return .valid(
                Principal(
                    accountId: try row["id"], login: try row["login"], name: try row["name"], role: role,
                    orgId: try row["org_id"], orgPath: try row["path"], orgLevel: role == .member ? .member : level,
                    memberId: try row["member_id"], mustChangePassword: try row["must_change_password"],
                    sessionLastSeen: (try row["last_seen"] as String?).flatMap(Timestamp.parse)))
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    public func accountInfo(accountId: String) async throws -> AccountInfo? {
        try await database.read { db in
            guard
                let row = try db.fetchOne(
                    sql: """
                        SELECT a.id, a.login, a.role, a.name, a.org_id, a.member_id, o.name AS org_name, o.level
                        FROM account a JOIN org o ON o.id = a.org_id WHERE a.id = ?
                        """, arguments: [accountId]),
                let role = Role(rawValue: try row["role"]), let orgLevel = OrgLevel(rawValue: try row["level"])
            else { return nil }
            return AccountInfo(
                id: try row["id"], login: try row["login"], role: role, name: try row["name"],
                orgId: try row["org_id"], orgName: try row["org_name"],
                level: role == .member ? .member : orgLevel, memberId: try row["member_id"])
        }
    }
}

/// UTC ISO 8601 text for stored instants ("2026-11-29T01:45:40.123Z"); sorts like the instants.
enum Timestamp {
    static func format(_ date: Date) -> String { UTCStamp.text(date, milliseconds: true) }

    static func parse(_ text: String) -> Date? { UTCStamp.date(text) }
}

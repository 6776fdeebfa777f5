import Foundation
import GRDB
import Schema
import SyncStorage

/// The local replica: one SQLite file in WAL mode with one writer (GRDB's pool). The
/// connection is reached only inside `read {}` / `write {}` / `writeAsync {}`.
final class ClientDatabase: Sendable {
    let pool: DatabasePool
    let cipher: FieldCipher
    /// The time every stamp written into this store is taken from (HLC, outbox, last sync).
    let clock: ClientClock

    init(path: String, cipher: FieldCipher, clock: ClientClock = .system) throws {
        self.cipher = cipher
        self.clock = clock
        // FULL: once a local edit returns, it survives a power cut as well as a kill -9.
        pool = try DurableSQLite.pool(path: path)
        var migrator = DatabaseMigrator()
        for migration in try Schema.migrations(for: .client) {
            migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
        }
        // A replica a newer release has migrated may hold rows this one cannot read (the short
        // clocks form of version 17 was the first): refused with what to do, not read as damaged.
        do {
            try NewerSchema.check(pool, against: migrator)
        } catch let error as NewerSchema {
            throw ClientError.upgradeRequired(
                "本机数据已由更新版本的 member-cli 升级（结构版本 \(error.unknown.joined(separator: "、"))），请升级 member-cli 后再使用")
        }
        try migrator.migrate(pool)
    }

    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try pool.write(body)
    }

    /// The sync path awaits its writes instead of blocking a thread of the cooperative pool
    /// while GRDB waits for the one writer. Its reads run in place: in WAL mode a read never
    /// waits for the writer, and the two thread hops of an awaited read cost P5 (20 clients
    /// at once) about 5 % of its throughput. Another name than `write`: an async overload of
    /// the same name would be chosen in every async function and make each synchronous call
    /// there an error.
    func writeAsync<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await pool.write(body)
    }

    /// A write whose commit does not wait for the disk (`DurableSQLite.writeBookkeeping`): for
    /// the sync's own marks that the next sync finds again if a power cut loses them.
    func writeBookkeeping<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await DurableSQLite.writeBookkeeping(pool, body)
    }
}

/// Settings kept in the `meta` table.
enum Meta: String {
    case clientId, hlc, serverURL, caFile, pinnedKey, token, tokenExpiresAt, account, cursor, lastSync, uploadedBytes

    // Cached statements: every local edit reads and writes the clock here, and preparing a
    // statement (GRDB's authorizer included) costs more than running it.
    func get(_ db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: [rawValue])
    }

    func set(_ db: Database, _ value: String?) throws {
        if let value {
            try db.cachedStatement(
                sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
            )
            .execute(arguments: [rawValue, value])
        } else {
            try db.cachedStatement(sql: "DELETE FROM meta WHERE key = ?").execute(arguments: [rawValue])
        }
    }
}

extension Meta {
    /// Every material byte this device has put on the wire, resends included.
    static func uploadedBytes(_ db: Database) throws -> Int64 {
        Int64(try Meta.uploadedBytes.get(db) ?? "0") ?? 0
    }

    static func addUploadedBytes(_ db: Database, _ bytes: Int) throws {
        try Meta.uploadedBytes.set(db, String(try uploadedBytes(db) + Int64(bytes)))
    }
}

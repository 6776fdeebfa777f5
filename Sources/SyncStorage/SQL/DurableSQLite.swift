import CSQLiteTuning
import GRDB

/// Opens a SQLite file as a GRDB pool in WAL mode whose writer syncs every commit to disk
/// (`synchronous = FULL`). GRDB sets the writer to NORMAL when it turns WAL on, after
/// `prepareDatabase` has run: a FULL set there did not last, and commits were acknowledged
/// before they were on disk.
public enum DurableSQLite {
    public static func pool(path: String) throws -> DatabasePool {
        _ = tuned
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        return pool
    }

    /// One transaction whose commit does not wait for the disk: the writer's `synchronous` is
    /// NORMAL for it (in WAL mode: no fsync at its commit; the WAL's frames stay in order, so
    /// the next FULL commit syncs them too). For marks that a power cut may lose because they
    /// are found again (an upload's offset, a lease); a `kill -9` loses none of it.
    public static func writeBookkeeping<T: Sendable>(
        _ pool: DatabasePool, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            let outcome = Result {
                var result: T?
                try db.inTransaction {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
            do {
                try db.execute(sql: "PRAGMA synchronous = FULL")
            } catch {
                // Outside a transaction this pragma touches no file; a writer left at NORMAL
                // would acknowledge writes before they are on disk, so stop rather than go on.
                fatalError("the writer's synchronous mode could not be set back to FULL: \(error)")
            }
            return try outcome.get()
        }
    }

    /// SQLite's process-wide settings, made once before the first database opens (a process
    /// that opened one some other way first keeps SQLite's defaults).
    private static let tuned: Int32 = csqlite_memstatus_off()
}

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

    /// SQLite's process-wide settings, made once before the first database opens (a process
    /// that opened one some other way first keeps SQLite's defaults).
    private static let tuned: Int32 = csqlite_memstatus_off()
}

import GRDB
import MutualAidDomain
import SyncProtocol

/// Applies pulled feed entries to the replica. Client-owned fields merge last-writer-wins by
/// clock, server-owned fields are taken as sent; nothing here touches the outbox, so pulled
/// rows never travel back.
enum PullApplier {
    static func apply(_ entries: [FeedEntry], cursor: Int64, database: ClientDatabase, _ db: Database) throws {
        // Stamp texts sort like the stamps, so only the newest valid one needs observing.
        var newest = ""
        for entry in entries {
            for stamp in entry.clocks.values where stamp > newest && HLCTimestamp(stamp) != nil { newest = stamp }
        }
        var table: ReplicaTable?
        for entry in entries {
            guard let spec = SyncTable.named(entry.table) else { continue }  // a table this version does not know
            // A page's entries mostly share a table: its codec is made once per run of them.
            if table?.spec.name != spec.name { table = database.table(spec) }
            let table = table!
            if entry.op == .delete {
                try table.delete(db, id: entry.recordId)
                continue
            }
            // A fresh device's first pull holds none of its records: each is written as it came,
            // with no lookup first; one the replica holds is merged into.
            if try table.saveNew(db, id: entry.recordId, fields: entry.fields, clocks: entry.clocks) { continue }
            guard var record = try table.load(db, id: entry.recordId) else { continue }  // the insert just met it
            record.takePulled(entry.fields, clocks: entry.clocks, layout: table.layout.fields)
            try table.save(db, id: entry.recordId, record)
        }
        if !newest.isEmpty { try LocalClock.observe(db, stamps: [newest], clock: database.clock) }
        // The cursor moves in the same transaction as the rows it covers.
        try Meta.cursor.set(db, String(cursor))
    }
}

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
        for entry in entries {
            guard let spec = SyncTable.named(entry.table) else { continue }  // a table this version does not know
            let table = database.table(spec)
            if entry.op == .delete {
                try table.delete(db, id: entry.recordId)
                continue
            }
            let layout = table.layout
            var record = try table.load(db, id: entry.recordId) ?? VersionedRecord()
            record.merge(entry.fields.filter { layout.clientFields.contains($0.key) }, clocks: entry.clocks)
            for (field, value) in entry.fields where layout.serverFields.contains(field) {
                record.fields[field] = value
                record.clocks[field] = entry.clocks[field]
            }
            try table.save(db, id: entry.recordId, record)
        }
        if !newest.isEmpty { try LocalClock.observe(db, stamps: [newest], clock: database.clock) }
        // The cursor moves in the same transaction as the rows it covers.
        try Meta.cursor.set(db, String(cursor))
    }
}

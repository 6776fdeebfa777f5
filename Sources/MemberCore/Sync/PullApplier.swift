import GRDB
import MutualAidDomain

/// Applies pulled feed entries to the replica. Client-owned fields merge last-writer-wins by
/// clock, server-owned fields are taken as sent; nothing here touches the outbox, so pulled
/// rows never travel back.
enum PullApplier {
    static func apply(_ entries: [FeedEntry], cursor: Int64, database: ClientDatabase, _ db: Database) throws {
        for entry in entries {
            guard let spec = SyncTable.named(entry.table) else { continue }  // a table this version does not know
            let table = database.table(spec)
            if entry.op == .delete {
                try table.delete(db, id: entry.recordId)
                continue
            }
            var record = try table.load(db, id: entry.recordId) ?? VersionedRecord()
            record.merge(entry.fields.filter { spec.clientFields.contains($0.key) }, clocks: entry.clocks)
            for (field, value) in entry.fields where spec.serverFields.contains(field) {
                record.fields[field] = value
                record.clocks[field] = entry.clocks[field]
            }
            try table.save(db, id: entry.recordId, record)
        }
        try LocalClock.observe(db, stamps: entries.flatMap { $0.clocks.values })
        // The cursor moves in the same transaction as the rows it covers.
        try Meta.cursor.set(db, String(cursor))
    }
}

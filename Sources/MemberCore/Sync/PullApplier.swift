import GRDB
import MutualAidDomain

/// Applies pulled feed entries to the replica. Client-owned fields merge last-writer-wins by
/// clock, server-owned fields are taken as sent; nothing here touches the outbox, so pulled
/// rows never travel back.
enum PullApplier {
    static func apply(_ entries: [FeedEntry], cursor: Int64, _ db: Database) throws {
        for entry in entries {
            guard let table = ReplicaTable.named(entry.table) else { continue }  // from a newer server
            var record = try table.load(db, id: entry.recordId) ?? VersionedRecord()
            let clientOwned = entry.fields.filter { table.spec.clientFields.contains($0.key) }
            record.merge(clientOwned, clocks: entry.clocks)
            for (field, value) in entry.fields where table.spec.serverFields.contains(field) {
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

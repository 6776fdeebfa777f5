import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// Applies pulled feed entries to the replica. Client-owned fields merge last-writer-wins by
/// clock, server-owned fields are taken as sent; nothing here touches the outbox, so pulled
/// rows never travel back.
enum PullApplier {
    static func apply(_ page: PulledPage, database: ClientDatabase, _ db: Database) throws {
        // Stamp texts sort like the stamps, so only the newest valid one needs observing.
        var newest = ""
        for run in page.runs where run.table != nil {
            for record in run.records {
                for case let stamp? in record.clocks where stamp > newest && HLCTimestamp(stamp) != nil {
                    newest = stamp
                }
            }
        }
        var clocksText = ClocksText()
        for run in page.runs {
            guard let spec = run.table else { continue }  // a table this version does not know
            let table = database.table(spec)
            let records = run.records
            var start = records.startIndex
            while start < records.endIndex {
                if records[start].op == .delete {
                    try table.delete(db, id: records[start].recordId)
                    start += 1
                    continue
                }
                // A fresh device's first pull holds none of its records: a stretch of upserts is
                // written as it came, several rows a statement, with no lookup first. When the
                // replica held any of them, each is merged, in order, into the row it now holds.
                var end = start + 1
                while end < records.endIndex, end - start < RowCodec.pulledRowsPerStatement,
                    records[end].op != .delete
                {
                    end += 1
                }
                if try !table.saveNew(db, records[start..<end], clocksText: &clocksText) {
                    for record in records[start..<end] { try merge(record, into: table, db) }
                }
                start = end
            }
        }
        if !newest.isEmpty { try LocalClock.observe(db, stamps: [newest], clock: database.clock) }
        // The cursor moves in the same transaction as the rows it covers.
        try Meta.cursor.set(db, String(page.cursor))
    }

    /// A pulled record merged into the row the replica holds: client-owned fields by clock.
    private static func merge(_ record: PulledRecord, into table: ReplicaTable, _ db: Database) throws {
        guard var stored = try table.load(db, id: record.recordId) else { return }
        stored.takePulled(
            record.fieldMap(table.spec), clocks: record.clockMap(table.spec), layout: table.layout.fields)
        try table.save(db, id: record.recordId, stored)
    }
}

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
            for record in run.records {
                if record.op == .delete {
                    try table.delete(db, id: record.recordId)
                    continue
                }
                // A fresh device's first pull holds none of its records: each is written as it
                // came, with no lookup first; one the replica holds is merged into.
                if try table.saveNew(db, record, clocksText: &clocksText) { continue }
                guard var stored = try table.load(db, id: record.recordId) else { continue }  // the insert just met it
                stored.takePulled(record.fieldMap(spec), clocks: record.clockMap(spec), layout: table.layout.fields)
                try table.save(db, id: record.recordId, stored)
            }
        }
        if !newest.isEmpty { try LocalClock.observe(db, stamps: [newest], clock: database.clock) }
        // The cursor moves in the same transaction as the rows it covers.
        try Meta.cursor.set(db, String(page.cursor))
    }
}

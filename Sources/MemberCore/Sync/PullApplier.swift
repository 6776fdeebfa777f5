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
        var present = try existingIds(of: entries, db)
        var table: ReplicaTable?
        for entry in entries {
            guard let spec = SyncTable.named(entry.table) else { continue }  // a table this version does not know
            // A page's entries mostly share a table: its codec is made once per run of them.
            if table?.spec.name != spec.name { table = database.table(spec) }
            let table = table!
            if entry.op == .delete {
                try table.delete(db, id: entry.recordId)
                present[spec.name]?.remove(entry.recordId)
                continue
            }
            guard present[spec.name]?.contains(entry.recordId) == true,
                var record = try table.load(db, id: entry.recordId)
            else {
                try table.saveNew(db, id: entry.recordId, fields: entry.fields, clocks: entry.clocks)
                present[spec.name, default: []].insert(entry.recordId)
                continue
            }
            record.takePulled(entry.fields, clocks: entry.clocks, layout: table.layout.fields)
            try table.save(db, id: entry.recordId, record)
        }
        if !newest.isEmpty { try LocalClock.observe(db, stamps: [newest], clock: database.clock) }
        // The cursor moves in the same transaction as the rows it covers.
        try Meta.cursor.set(db, String(cursor))
    }

    /// Which of the page's records the replica holds already, a few queries per page: a fresh
    /// device's first pull holds none, and a lookup per row was a fifth of applying it.
    private static func existingIds(of entries: [FeedEntry], _ db: Database) throws -> [String: Set<String>] {
        var wanted: [String: [String]] = [:]
        for entry in entries where entry.op != .delete {
            guard let spec = SyncTable.named(entry.table) else { continue }
            wanted[spec.name, default: []].append(entry.recordId)
        }
        var present: [String: Set<String>] = [:]
        for (table, ids) in wanted {
            var found = Set<String>()
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try String.fetchAll(
                    db, sql: "SELECT id FROM \(table) WHERE id IN (\(marks))", arguments: StatementArguments(chunk))
                found.formUnion(rows)
            }
            present[table] = found
        }
        return present
    }
}

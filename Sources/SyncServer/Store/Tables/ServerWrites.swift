import Foundation
import GRDB
import MutualAidDomain

/// Records the server itself writes (trail rows, member enrolments, a new unit): stamped with
/// the server clock and appended to the feed in the caller's transaction.
enum ServerWrites {
    static func insert(_ table: RowTable, id: String, _ fields: FieldMap, orgPath: String, memberId: String? = nil,
                       extra: [String: (any DatabaseValueConvertible)?] = [:], now: Date, _ db: Database) throws {
        var columns = extra
        if table.spec.audience != .everyone {
            columns["org_path"] = orgPath
            columns["member_id"] = memberId
        }
        try table.insert(db, recordId: id, VersionedRecord(fields: fields, clocks: SQLiteCaseStore.serverClocks(fields, now)),
                         extra: columns)
        try SQLiteCaseStore.appendFeed(table, recordId: id, now: now, db)
    }

    /// Merges server-owned changes into a stored record and feeds it.
    static func update(_ table: any ServerTable, id: String, _ stored: inout StoredRecord, _ changes: FieldMap,
                       now: Date, _ db: Database) throws {
        stored.record.merge(changes, stamp: stamp(after: stored.record.clocks, now: now).description)
        try table.save(db, recordId: id, stored.record)
        try SQLiteCaseStore.appendFeed(table, recordId: id, now: now, db)
    }

    /// The server's clock for a write that must win over everything the record holds, even a
    /// value written earlier in the same millisecond (a registration approved as it arrives).
    static func stamp(after clocks: [String: String], now: Date) -> HLCTimestamp {
        let base = HLCTimestamp.server(now)
        guard let newest = clocks.values.compactMap(HLCTimestamp.init).max(), newest >= base else { return base }
        return HLCTimestamp(millis: newest.millis, counter: newest.counter + 1, node: "server")
    }
}

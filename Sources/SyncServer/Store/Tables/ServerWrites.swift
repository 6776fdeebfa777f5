import Foundation
import MutualAidDomain
import SyncStorage

/// Records the server itself writes (trail rows, member enrolments, a new unit, a case's state):
/// stamped by the one rule of `HLCTimestamp.serverStamp` and appended to the feed in the
/// caller's transaction.
enum ServerWrites {
    static func insert(
        _ table: RowTable, id: String, _ fields: FieldMap, orgPath: String, memberId: String? = nil,
        extra: [String: (any SQLBindable)?] = [:], now: Date, _ db: any SQLConnection
    ) throws {
        var columns = extra
        if table.spec.audience != .everyone {
            columns["org_path"] = orgPath
            columns["member_id"] = memberId
        }
        try table.insert(
            db, recordId: id, VersionedRecord(fields: fields, clocks: clocks(fields, now: now)), extra: columns)
        try SQLCaseStore.appendFeed(table, recordId: id, now: now, db)
    }

    /// Merges server-owned changes into a stored record and feeds it.
    static func update(
        _ table: any ServerTable, id: String, _ stored: inout StoredRecord, _ changes: FieldMap,
        now: Date, _ db: any SQLConnection
    ) throws {
        try apply(changes, to: &stored.record, now: now)
        try table.save(db, recordId: id, stored.record)
        try SQLCaseStore.appendFeed(table, recordId: id, now: now, db)
    }

    /// Merges a server write into a record, or throws: a write that did not apply must abort
    /// its transaction rather than leave a trail line or an answer about a change that is not there.
    static func apply(_ changes: FieldMap, to record: inout VersionedRecord, now: Date) throws {
        guard record.mergeServerWrite(changes, nowMillis: millis(now)) else { throw WriteNotApplied() }
    }

    /// The server's clock for a write to a record holding `clocks`: strictly after all of them,
    /// never before `now`.
    static func stamp(after clocks: [String: String], now: Date) -> HLCTimestamp {
        HLCTimestamp.serverStamp(after: clocks, nowMillis: millis(now))
    }

    /// Clocks for a new record's fields (or one re-created over a deleted record's `after`).
    static func clocks(_ fields: FieldMap, after: [String: String] = [:], now: Date) -> [String: String] {
        let stamp = stamp(after: after, now: now).description
        return fields.mapValues { _ in stamp }
    }

    static func millis(_ now: Date) -> Int64 { Int64(now.timeIntervalSince1970 * 1000) }

    /// A broken invariant, not a client mistake: the error middleware logs its type and answers
    /// 500, and the request's transaction (the whole push) is rolled back.
    struct WriteNotApplied: Error {}
}

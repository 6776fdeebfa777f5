import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

extension SQLCaseStore {
    public func push(_ changes: [Change], by principal: Principal, now: Date) async throws -> [ChangeResult] {
        try await database.write { db in
            var batch = PushBatch(changes, by: principal, now: now)
            return try batch.apply(db)
        }
    }

    /// Client text kept in the ledger as given, but short and without NUL: PostgreSQL's text
    /// cannot hold U+0000, and a refused change naming an odd table must still be recorded.
    static func ledgerText(_ text: String, limit: Int = 64) -> String {
        // Most text is short and clean: checked by its bytes, kept as it is.
        if text.utf8.count <= limit, !text.utf8.contains(0) { return text }
        return String(text.unicodeScalars.filter { $0 != "\u{0}" }.prefix(limit).map(Character.init))
    }

    /// The checks every change passes before its record is read: the shared rules, a known
    /// table; its fields normalized as the table stores them.
    static func checked(_ change: Change, now: Date) -> Result<(table: any ServerTable, change: Change), RuleViolation>
    {
        // The route checked that every change id is "clientId:seq" for the request's client id.
        let clientId = change.changeId.lastIndex(of: ":").map { String(change.changeId[..<$0]) } ?? ""
        do throws(RuleViolation) {
            try ChangeRules.validate(change, clientId: clientId, serverMillis: Int64(now.timeIntervalSince1970 * 1000))
        } catch {
            return .failure(error)
        }
        guard let table = ServerTables.named(change.table) else { return .failure(ServerTables.notFound) }
        var change = change
        change.fields = FieldRules.normalized(table: table.spec, change.fields)
        return .success((table, change))
    }

    enum MergeOutcome {
        case refused(RuleViolation)
        /// Applied; the record's feed entry is owed when `changed`.
        case applied(changed: Bool)
        /// Deleted, its tombstone written.
        case deleted
    }

    /// One checked change written through: created, deleted or merged and saved, then the
    /// table's follow-up work. The caller holds a savepoint around it.
    static func merge(
        _ change: Change, into table: any ServerTable, by principal: Principal, now: Date, _ db: any SQLConnection
    ) throws -> MergeOutcome {
        var stored: StoredRecord
        if let existing = try table.load(db, recordId: change.recordId) {
            guard table.mayWrite(principal, existing) else { return .refused(ServerTables.notFound) }
            if let violation = try table.checkWrite(db, existing, change: change, by: principal) {
                return .refused(violation)
            }
            stored = existing
        } else {
            guard table.spec.clientCreates, change.op == .upsert else { return .refused(ServerTables.notFound) }
            switch try table.create(db, recordId: change.recordId, change: change, by: principal) {
            case .failure(let violation): return .refused(violation)
            case .success(let created): stored = created
            }
        }
        if change.op == .delete {
            try table.delete(db, recordId: change.recordId)
            try appendFeed(table, recordId: change.recordId, deleted: stored, now: now, db)
            return .deleted
        }
        let changed = stored.record.merge(change.fields, stamp: change.hlc)
        if changed { try table.save(db, recordId: change.recordId, stored.record) }
        if let followUp = table as? any FollowUpWork {
            try followUp.afterApply(db, recordId: change.recordId, by: principal, now: now)
        }
        return .applied(changed: changed)
    }

    /// Appends the record as it now stands (or its deletion) to the change feed.
    static func appendFeed(
        _ table: any ServerTable, recordId: String, deleted: StoredRecord? = nil,
        now: Date, _ db: any SQLConnection
    ) throws {
        guard table.spec.audience != .writeOnly, let stored = try deleted ?? table.load(db, recordId: recordId) else {
            return
        }
        if deleted != nil {
            // A deleted record leaves a bare tombstone: its earlier entries (a draft's personal
            // data) go, and a device that had not pulled them yet just gets the deletion.
            try FeedFiling.removeEntries(table: table.spec.name, recordId: recordId, db)
        }
        let record = deleted == nil ? stored.record : VersionedRecord()
        let fields = FlatJSON.encode(record.fields)
        let clocks = FlatJSON.encode(record.clocks)
        guard fields.utf8.count + clocks.utf8.count <= FeedLimits.maxEntryBytes else {
            throw FeedLimits.EntryTooLarge(table: table.spec.name)
        }
        // What the member receives, when it differs from what staff do.
        var memberFields: String?
        var memberClocks: String?
        if deleted == nil, table.spec.hasStaffOnlyContent {
            let view = table.spec.memberView(record.fields)
            if view.count != record.fields.count {
                memberFields = FlatJSON.encode(view)
                memberClocks = FlatJSON.encode(record.clocks.filter { view[$0.key] != nil })
            }
        }
        // An addressed record (a message) stays out of every subtree; one without a member goes
        // to the accounts of exactly its organisation (`org_only`).
        let addressed = table.spec.audience == .addressed
        try FeedFiling.append(
            FeedFiling.Entry(
                table: table.spec.name, recordId: recordId, op: deleted == nil ? .upsert : .delete,
                orgPath: stored.orgPath, memberId: stored.memberId,
                memberOnly: table.spec.memberOnly || addressed || stored.isPrivate,
                isPublic: table.spec.audience == .everyone, orgOnly: addressed && stored.memberId == nil,
                fields: fields, clocks: clocks, memberFields: memberFields, memberClocks: memberClocks,
                createdAt: Timestamp.format(now)), db)
    }

    public func pull(for principal: Principal, after cursor: Int64, limit: Int) async throws -> PullResponse {
        try await pullPage(for: principal, after: cursor, limit: limit).response()
    }

    /// The feed entries `principal` may see after `cursor`, as stored (see `FeedPage`).
    public func pullPage(for principal: Principal, after cursor: Int64, limit: Int) async throws -> FeedPage {
        try await pullPage(for: principal, after: cursor, limit: limit, byteBudget: FeedLimits.maxPageBytes)
    }

    func pullPage(for principal: Principal, after cursor: Int64, limit: Int, byteBudget: Int) async throws -> FeedPage {
        // Members read the member view of records with staff-only content.
        let content =
            principal.role.readsStaffContent
            ? "fields, clocks" : "COALESCE(member_fields, fields), COALESCE(member_clocks, clocks)"
        return try await database.read { db in
            let query = FeedQuery(scope: principal.scope, content: content, after: cursor, limit: limit + 1)
            let rows = try db.fetchAll(query.sql, query.arguments)
            var entries: [FeedPage.Entry] = []
            entries.reserveCapacity(min(limit, 1024))
            var hasMore = false
            var bytes = 0
            for row in rows {
                guard entries.count < limit else {
                    hasMore = true
                    break
                }
                let entry = try FeedPage.Entry(
                    seq: row[0], table: row[1], recordId: row[2],
                    op: (ChangeOp(rawValue: row[3]) ?? .upsert).rawValue,
                    fieldsJSON: row[4], clocksJSON: row[5])
                // A page stops early rather than grow past its byte budget (never empty, though).
                bytes += entry.fieldsJSON.utf8.count + entry.clocksJSON.utf8.count + 96
                if bytes > byteBudget, !entries.isEmpty {
                    hasMore = true
                    break
                }
                entries.append(entry)
            }
            return FeedPage(entries: entries, cursor: entries.last?.seq ?? cursor, hasMore: hasMore)
        }
    }
}

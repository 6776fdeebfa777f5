import Foundation
import GRDB
import MutualAidDomain
import SyncStorage

extension SQLiteCaseStore {
    public func push(_ changes: [Change], by principal: Principal, now: Date) async throws -> [ChangeResult] {
        try await pool.write { db in
            try changes.map { try Self.apply($0, by: principal, now: now, db) }
        }
    }

    /// One change, exactly once: a change id already handled for this account answers what it
    /// answered the first time; a new one is checked, merged and recorded.
    static func apply(_ change: Change, by principal: Principal, now: Date, _ db: Database) throws -> ChangeResult {
        // Cached statements: a batch runs these two for each of up to 500 changes.
        let priorAnswer = try db.cachedStatement(sql: "SELECT status, reason FROM applied_change WHERE account_id = ? AND change_id = ?")
        if let prior = try Row.fetchOne(priorAnswer, arguments: [principal.accountId, change.changeId]) {
            return ChangeResult(changeId: change.changeId, status: ChangeStatus(rawValue: prior["status"]) ?? .rejected,
                                reason: prior["reason"], replayed: true)
        }
        // A violation is an answer, not an error: nothing of the change is kept but the refusal.
        var reason: String?
        try db.inSavepoint {
            do {
                let violation = try merge(change, by: principal, now: now, db)
                reason = violation?.message
            } catch let violation as RuleViolation {
                // A rule broken deep in a hook (the workflow refusing an acceptance) is still the
                // change's answer, never a server error.
                reason = violation.message
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                // Client data the schema refuses (a required value cleared): a client mistake.
                reason = "更改的内容不符合数据要求，已拒绝"
            }
            return reason == nil ? .commit : .rollback
        }
        try db.cachedStatement(sql: """
            INSERT INTO applied_change (account_id, change_id, tbl, record_id, status, reason, applied_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [principal.accountId, change.changeId, String(change.table.prefix(64)),
                             String(change.recordId.prefix(64)), reason == nil ? "applied" : "rejected",
                             reason, Timestamp.format(now)])
        return ChangeResult(changeId: change.changeId, status: reason == nil ? .applied : .rejected, reason: reason)
    }

    private static func merge(_ change: Change, by principal: Principal, now: Date, _ db: Database) throws -> RuleViolation? {
        do throws(RuleViolation) {
            try ChangeRules.validate(change, serverMillis: Int64(now.timeIntervalSince1970 * 1000))
        } catch {
            return error
        }
        guard let table = ServerTables.named(change.table) else { return ServerTables.notFound }
        var stored: StoredRecord
        if let existing = try table.load(db, recordId: change.recordId) {
            guard table.mayWrite(principal, existing) else { return ServerTables.notFound }
            if let violation = try table.checkWrite(db, existing, change: change, by: principal) { return violation }
            stored = existing
        } else {
            guard table.spec.clientCreates, change.op == .upsert else { return ServerTables.notFound }
            switch try table.create(db, recordId: change.recordId, change: change, by: principal) {
            case .failure(let violation): return violation
            case .success(let created): stored = created
            }
        }
        if change.op == .delete {
            try table.delete(db, recordId: change.recordId)
            try appendFeed(table, recordId: change.recordId, deleted: stored, now: now, db)
            return nil
        }
        if stored.record.merge(change.fields, stamp: change.hlc) {
            try table.save(db, recordId: change.recordId, stored.record)
            try appendFeed(table, recordId: change.recordId, now: now, db)
        }
        try table.afterApply(db, recordId: change.recordId, by: principal, now: now)
        return nil
    }

    /// Appends the record as it now stands (or its deletion) to the change feed.
    static func appendFeed(_ table: any ServerTable, recordId: String, deleted: StoredRecord? = nil,
                           now: Date, _ db: Database) throws {
        guard table.spec.audience != .writeOnly, let stored = try deleted ?? table.load(db, recordId: recordId) else { return }
        let record = deleted == nil ? stored.record : VersionedRecord()
        try db.cachedStatement(sql: """
            INSERT INTO change_feed (tbl, record_id, op, org_path, member_id, member_only, is_public, fields, clocks, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [table.spec.name, recordId, deleted == nil ? "upsert" : "delete", stored.orgPath, stored.memberId,
                                     table.spec.memberOnly || stored.isPrivate, table.spec.audience == .everyone,
                                     FlatJSON.encode(record.fields), FlatJSON.encode(record.clocks), Timestamp.format(now)])
    }

    public func pull(for principal: Principal, after cursor: Int64, limit: Int) async throws -> PullResponse {
        try await pullPage(for: principal, after: cursor, limit: limit).response()
    }

    /// The feed entries `principal` may see after `cursor`, as stored (see `FeedPage`).
    public func pullPage(for principal: Principal, after cursor: Int64, limit: Int) async throws -> FeedPage {
        try await pool.read { db in
            let statement: Statement
            let arguments: StatementArguments
            switch principal.scope {
            case .member(let memberId):
                statement = try db.cachedStatement(sql: """
                    SELECT seq, tbl, record_id, op, fields, clocks FROM change_feed
                    WHERE (member_id = ? OR is_public = 1) AND seq > ? ORDER BY seq LIMIT ?
                    """)
                arguments = [memberId, cursor, limit + 1]
            case .subtree(let path):
                statement = try db.cachedStatement(sql: """
                    SELECT seq, tbl, record_id, op, fields, clocks FROM change_feed
                    WHERE (is_public = 1 OR (member_only = 0 AND org_path >= ? AND org_path < ?)) AND seq > ?
                    ORDER BY seq LIMIT ?
                    """)
                arguments = [path, path + "\u{10FFFF}", cursor, limit + 1]
            }
            var entries: [FeedPage.Entry] = []
            entries.reserveCapacity(limit)
            var hasMore = false
            let rows = try Row.fetchCursor(statement, arguments: arguments)
            while let row = try rows.next() {
                guard entries.count < limit else { hasMore = true; break }
                entries.append(FeedPage.Entry(seq: row[0], table: row[1], recordId: row[2],
                                              op: (ChangeOp(rawValue: row[3]) ?? .upsert).rawValue,
                                              fieldsJSON: row[4], clocksJSON: row[5]))
            }
            return FeedPage(entries: entries, cursor: entries.last?.seq ?? cursor, hasMore: hasMore)
        }
    }

    public func checksum(for principal: Principal, detail: Bool) async throws -> ChecksumResponse {
        try await pool.read { db in
            let tables = try ServerTables.all.filter { $0.spec.audience != .writeOnly }.map { table in
                let hashes = try table.records(db, in: principal.scope)
                    .map { RecordHash(id: $0.id, hash: RecordDigest.hash($0.fields)) }
                return TableChecksum(table: table.spec.name, records: hashes, includeRecords: detail)
            }
            return ChecksumResponse(tables: tables)
        }
    }
}

import Foundation
import GRDB
import MutualAidDomain

extension SQLiteCaseStore {
    public func push(_ changes: [Change], by principal: Principal, now: Date) async throws -> [ChangeResult] {
        try await pool.write { db in
            try changes.map { try Self.apply($0, by: principal, now: now, db) }
        }
    }

    /// One change, exactly once: a change id already handled for this account answers what it
    /// answered the first time; a new one is checked, merged and recorded.
    static func apply(_ change: Change, by principal: Principal, now: Date, _ db: Database) throws -> ChangeResult {
        if let prior = try Row.fetchOne(db, sql: "SELECT status, reason FROM applied_change WHERE account_id = ? AND change_id = ?",
                                        arguments: [principal.accountId, change.changeId]) {
            return ChangeResult(changeId: change.changeId, status: ChangeStatus(rawValue: prior["status"]) ?? .rejected,
                                reason: prior["reason"], replayed: true)
        }
        let outcome = try decide(change, by: principal, now: now, db)
        if case .success(let (table, stored)) = outcome {
            var merged = stored.record
            if merged.merge(change.fields, stamp: change.hlc) {
                try table.save(db, recordId: change.recordId, merged)
                try appendFeed(table: table.spec, recordId: change.recordId, op: change.op,
                               stored: StoredRecord(record: merged, orgPath: stored.orgPath, memberId: stored.memberId),
                               now: now, db)
            }
        }
        let reason: String? = if case .failure(let v) = outcome { v.message } else { nil }
        try db.execute(sql: """
            INSERT INTO applied_change (account_id, change_id, tbl, record_id, status, reason, applied_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [principal.accountId, change.changeId, String(change.table.prefix(64)),
                             String(change.recordId.prefix(64)), reason == nil ? "applied" : "rejected",
                             reason, Timestamp.format(now)])
        return ChangeResult(changeId: change.changeId, status: reason == nil ? .applied : .rejected, reason: reason)
    }

    private static func decide(_ change: Change, by principal: Principal, now: Date, _ db: Database)
        throws -> Result<(any ServerTable, StoredRecord), RuleViolation> {
        do throws(RuleViolation) {
            try ChangeRules.validate(change, serverMillis: Int64(now.timeIntervalSince1970 * 1000))
        } catch {
            return .failure(error)
        }
        guard let table = ServerTables.named(change.table),
              let stored = try table.load(db, recordId: change.recordId),
              table.mayWrite(principal, stored) else {
            // Missing and foreign records get the same answer, so ids cannot be probed.
            return .failure(RuleViolation(field: "recordId", message: "记录不存在或无权修改"))
        }
        return .success((table, stored))
    }

    static func appendFeed(table: SyncTable, recordId: String, op: ChangeOp, stored: StoredRecord,
                           now: Date, _ db: Database) throws {
        let encoder = JSONEncoder()
        try db.execute(sql: """
            INSERT INTO change_feed (tbl, record_id, op, org_path, member_id, member_only, fields, clocks, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [table.name, recordId, op.rawValue, stored.orgPath, stored.memberId, table.memberOnly,
                             String(decoding: try encoder.encode(stored.record.fields), as: UTF8.self),
                             String(decoding: try encoder.encode(stored.record.clocks), as: UTF8.self),
                             Timestamp.format(now)])
    }

    public func pull(for principal: Principal, after cursor: Int64, limit: Int) async throws -> PullResponse {
        try await pool.read { db in
            let rows: [Row]
            switch principal.scope {
            case .member(let memberId):
                rows = try Row.fetchAll(db, sql: """
                    SELECT * FROM change_feed WHERE member_id = ? AND seq > ? ORDER BY seq LIMIT ?
                    """, arguments: [memberId, cursor, limit + 1])
            case .subtree(let path):
                rows = try Row.fetchAll(db, sql: """
                    SELECT * FROM change_feed
                    WHERE member_only = 0 AND org_path >= ? AND org_path < ? AND seq > ? ORDER BY seq LIMIT ?
                    """, arguments: [path, path + "\u{10FFFF}", cursor, limit + 1])
            }
            let decoder = JSONDecoder()
            let entries = try rows.prefix(limit).map { row in
                FeedEntry(seq: row["seq"], table: row["tbl"], recordId: row["record_id"],
                          op: ChangeOp(rawValue: row["op"]) ?? .upsert,
                          fields: try decoder.decode(FieldMap.self, from: Data((row["fields"] as String).utf8)),
                          clocks: try decoder.decode([String: String].self, from: Data((row["clocks"] as String).utf8)))
            }
            return PullResponse(changes: entries, cursor: entries.last?.seq ?? cursor, hasMore: rows.count > limit)
        }
    }

    public func checksum(for principal: Principal, detail: Bool) async throws -> ChecksumResponse {
        try await pool.read { db in
            let tables = try ServerTables.all.map { table in
                let hashes = try table.records(db, in: principal.scope)
                    .map { RecordHash(id: $0.id, hash: RecordDigest.hash($0.fields)) }
                return TableChecksum(table: table.spec.name, records: hashes, includeRecords: detail)
            }
            return ChecksumResponse(tables: tables)
        }
    }
}

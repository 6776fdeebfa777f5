import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// One pushed batch, applied in one transaction, exactly once per change. Statements are
/// per batch where the answer does not depend on the order of the changes: which change ids
/// were handled before is asked once, and the ledger rows go in a few multi-row inserts at the
/// end. A run of changes to one record leaves one feed entry, its state after the run.
struct PushBatch {
    let principal: Principal
    let now: Date
    private var feed = FeedRun()
    private var ledger: [SQLValue] = []

    init(by principal: Principal, now: Date) {
        self.principal = principal
        self.now = now
    }

    /// Rows per multi-row statement: two statement shapes (full and the rest) per batch size,
    /// and far below either store's limit on bound values.
    static let rowsPerStatement = 100

    mutating func apply(_ changes: [Change], _ db: any SQLConnection) throws -> [ChangeResult] {
        var prior = try Self.priorAnswers(changes.map(\.changeId), accountId: principal.accountId, db)
        var results: [ChangeResult] = []
        results.reserveCapacity(changes.count)
        for change in changes {
            let digest = RecordDigest.change(change)
            if let answer = prior[change.changeId] {
                results.append(Self.replay(change, answer, digest: digest))
                continue
            }
            // The last run's entry is written outside this change's savepoint, so a refusal
            // of this change cannot undo it.
            try feed.endRun(unless: change, db, now: now)
            let reason = try merge(change, db)
            prior[change.changeId] = (reason == nil ? "applied" : "rejected", reason, digest)
            ledger += [
                .text(principal.accountId), .text(change.changeId), .text(SQLCaseStore.ledgerText(change.table)),
                .text(SQLCaseStore.ledgerText(change.recordId)), .text(reason == nil ? "applied" : "rejected"),
                reason.map { .text(SQLCaseStore.ledgerText($0, limit: 2000)) } ?? .null,
                .text(Timestamp.format(now)), .text(digest),
            ]
            results.append(
                ChangeResult(changeId: change.changeId, status: reason == nil ? .applied : .rejected, reason: reason))
        }
        try feed.endRun(db, now: now)
        try writeLedger(db)
        return results
    }

    /// A violation is an answer, not an error: nothing of the change is kept but the refusal.
    private mutating func merge(_ change: Change, _ db: any SQLConnection) throws -> String? {
        var reason: String?
        let runBefore = feed
        try db.inSavepoint {
            do {
                reason = try SQLCaseStore.merge(change, by: principal, now: now, feed: &feed, db)?.message
            } catch let violation as RuleViolation {
                // A rule broken deep in a hook (the workflow refusing an acceptance) is still the
                // change's answer, never a server error.
                reason = violation.message
            } catch is SQLConstraintViolation {
                // Client data the schema refuses (a required value cleared): a client mistake.
                reason = "更改的内容不符合数据要求，已拒绝"
            }
            return reason == nil
        }
        if reason != nil { feed = runBefore }
        return reason
    }

    typealias Answer = (status: String, reason: String?, digest: String?)

    /// The same id with other content is not a retry: a device restored from a backup numbers
    /// its new edits as the old ones. Tell it, so it renumbers and resends.
    private static func replay(_ change: Change, _ answer: Answer, digest: String) -> ChangeResult {
        if let priorDigest = answer.digest, priorDigest != digest {
            return ChangeResult(
                changeId: change.changeId, status: .changeIdReused,
                reason: "更改编号已被使用过（设备数据可能从备份恢复），请用新的客户端编号重新发送")
        }
        return ChangeResult(
            changeId: change.changeId, status: ChangeStatus(rawValue: answer.status) ?? .rejected,
            reason: answer.reason, replayed: true)
    }

    /// What the ledger answered for each of these change ids before, in one query per
    /// `rowsPerStatement` ids.
    private static func priorAnswers(_ ids: [String], accountId: String, _ db: any SQLConnection) throws
        -> [String: Answer]
    {
        var answers: [String: Answer] = [:]
        for start in stride(from: 0, to: ids.count, by: rowsPerStatement) {
            let chunk = ids[start..<min(start + rowsPerStatement, ids.count)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try db.fetchAll(
                sql: """
                    SELECT change_id, status, reason, digest FROM applied_change
                    WHERE account_id = ? AND change_id IN (\(marks))
                    """, arguments: SQLArguments([.text(accountId)] + chunk.map { .text($0) }))
            {
                answers[try row["change_id"]] = (try row["status"], try row["reason"], try row["digest"])
            }
        }
        return answers
    }

    private func writeLedger(_ db: any SQLConnection) throws {
        let columns = 8
        let perStatement = Self.rowsPerStatement * columns
        for start in stride(from: 0, to: ledger.count, by: perStatement) {
            let values = Array(ledger[start..<min(start + perStatement, ledger.count)])
            let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
            let rows = Array(repeating: row, count: values.count / columns).joined(separator: ", ")
            try db.execute(
                sql: """
                    INSERT INTO applied_change (account_id, change_id, tbl, record_id, status, reason, applied_at, digest)
                    VALUES \(rows)
                    """, arguments: SQLArguments(values))
        }
    }
}

/// The record a run of consecutive changes is writing to: its feed entry waits for the run to
/// end and is then written from the record as stored (so a hook's later change to it is in).
struct FeedRun {
    private var pending: (table: any ServerTable, recordId: String)?

    /// Called when a change's record was written.
    mutating func changed(_ table: any ServerTable, recordId: String) {
        pending = (table, recordId)
    }

    /// Called before a deletion writes its tombstone, which makes an entry for the record moot.
    mutating func deleting(_ table: any ServerTable, recordId: String) {
        if isPending(table.spec.name, recordId) { pending = nil }
    }

    /// Ends the run unless `change` continues it.
    mutating func endRun(unless change: Change, _ db: any SQLConnection, now: Date) throws {
        if !isPending(change.table, change.recordId) { try endRun(db, now: now) }
    }

    mutating func endRun(_ db: any SQLConnection, now: Date) throws {
        guard let (table, recordId) = pending else { return }
        pending = nil
        try SQLCaseStore.appendFeed(table, recordId: recordId, now: now, db)
    }

    private func isPending(_ table: String, _ recordId: String) -> Bool {
        pending.map { $0.table.spec.name == table && $0.recordId == recordId } ?? false
    }
}

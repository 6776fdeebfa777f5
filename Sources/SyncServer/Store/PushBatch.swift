import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// One pushed batch, applied in one transaction, exactly once per change, answered as if its
/// changes were applied one at a time in order. Statements are per batch where the answer does
/// not depend on the order: which change ids were handled before is asked once, and the ledger
/// rows go in a few multi-row inserts at the end. Per record, a run of changes is checked and
/// merged in memory and saved once (`RecordRun`); a table with follow-up work, a creation or a
/// deletion is written through, in a savepoint of its own.
struct PushBatch {
    let principal: Principal
    let now: Date
    private let changes: [Change]
    private var results: [ChangeResult] = []
    private var ledger: [PushLedger.Row?] = []
    private var run: RecordRun?

    init(_ changes: [Change], by principal: Principal, now: Date) {
        self.changes = changes
        self.principal = principal
        self.now = now
    }

    static let refusedBySchema = "更改的内容不符合数据要求，已拒绝"

    mutating func apply(_ db: any SQLConnection) throws -> [ChangeResult] {
        var prior = try PushLedger.priorAnswers(changes.map(\.changeId), accountId: principal.accountId, db)
        prior.reserveCapacity(prior.count + changes.count)  // every change is added below: no regrowth
        results.reserveCapacity(changes.count)
        for (index, change) in changes.enumerated() {
            let digest = RecordDigest.change(change)
            if let answer = prior[change.changeId] {
                results.append(Self.replay(change, answer, digest: digest))
                ledger.append(nil)
                continue
            }
            results.append(ChangeResult(changeId: change.changeId, status: .applied, reason: nil))
            ledger.append(
                PushLedger.Row(
                    changeId: change.changeId, table: change.table, recordId: change.recordId, digest: digest))
            answer(index, try handle(index, db))
            // The route refuses a batch naming an id twice; should one get here, it is a replay.
            prior[change.changeId] = (results[index].status.rawValue, results[index].reason, digest)
        }
        try endRun(db)
        try PushLedger.write(ledger.compactMap { $0 }, accountId: principal.accountId, at: now, db)
        return results
    }

    private mutating func answer(_ index: Int, _ reason: String?) {
        results[index] = ChangeResult(
            changeId: changes[index].changeId, status: reason == nil ? .applied : .rejected, reason: reason)
        ledger[index]?.reason = reason
    }

    /// The change's answer: nil when applied, else why it was refused.
    private mutating func handle(_ index: Int, _ db: any SQLConnection) throws -> String? {
        switch SQLCaseStore.checked(changes[index], now: now) {
        case .failure(let violation):
            return violation.message
        case .success(let (table, change)):
            if change.op == .upsert, !(table is any FollowUpWork), let held = try hold(table, change, db) {
                return try mergeInMemory(index, table, change, held, db)
            }
            return try writeThrough(table, change, db)
        }
    }

    /// The record the run holds for `change`, loaded if the run is for another record; nil for
    /// a record not there yet (its creation is written through).
    private mutating func hold(_ table: any ServerTable, _ change: Change, _ db: any SQLConnection) throws
        -> StoredRecord?
    {
        if let run, run.isFor(change), let held = run.held { return held }
        if run?.isFor(change) != true { try endRun(db) }
        guard let loaded = try table.load(db, recordId: change.recordId) else { return nil }
        if run == nil { run = RecordRun(table, change.recordId) }
        run?.held = loaded
        return loaded
    }

    private mutating func mergeInMemory(
        _ index: Int, _ table: any ServerTable, _ change: Change, _ held: StoredRecord, _ db: any SQLConnection
    ) throws -> String? {
        run?.answered.append(index)
        guard table.mayWrite(principal, held) else { return ServerTables.notFound.message }
        do {
            if let violation = try table.checkWrite(db, held, change: change, by: principal) {
                return violation.message
            }
        } catch let violation as RuleViolation {
            return violation.message
        }
        var merged = held
        if merged.record.merge(change.fields, stamp: change.hlc) {
            run?.held = merged
            run?.unsaved = true
            run?.owesEntry = true
        }
        return nil
    }

    /// A violation is an answer, not an error: nothing of the change is kept but the refusal.
    private mutating func writeThrough(_ table: any ServerTable, _ change: Change, _ db: any SQLConnection) throws
        -> String?
    {
        // The run before is saved and its entry written outside this change's savepoint, so
        // this change's refusal cannot undo them.
        if let run, !run.isFor(change) || run.unsaved { try endRun(db) }
        run?.held = nil
        run?.answered = []
        let before = run
        var reason: String?
        try db.inSavepoint {
            do {
                switch try SQLCaseStore.merge(change, into: table, by: principal, now: now, db) {
                case .refused(let violation): reason = violation.message
                case .applied(let changed) where changed: run = RecordRun(table, change.recordId, owesEntry: true)
                case .applied: break
                case .deleted: run = nil
                }
            } catch let violation as RuleViolation {
                // A rule broken deep in a hook (the workflow refusing an acceptance) is still the
                // change's answer, never a server error.
                reason = violation.message
            } catch is SQLConstraintViolation {
                // Client data the schema refuses (a required value cleared): a client mistake.
                reason = Self.refusedBySchema
            }
            return reason == nil
        }
        if reason != nil { run = before }
        return reason
    }

    /// Saves the run's record and writes its feed entry. A save the schema refuses is undone
    /// and the run's changes are written through one at a time, so each gets its own answer.
    private mutating func endRun(_ db: any SQLConnection) throws {
        guard let ended = run else { return }
        run = nil
        if ended.unsaved, let held = ended.held {
            var refused = false
            try db.inSavepoint {
                do {
                    try ended.table.save(db, recordId: ended.recordId, held.record)
                    return true
                } catch is SQLConstraintViolation {
                    refused = true
                    return false
                }
            }
            if refused {
                run = RecordRun(ended.table, ended.recordId, owesEntry: ended.owesEntry)
                for index in ended.answered {
                    guard case .success(let (table, change)) = SQLCaseStore.checked(changes[index], now: now) else {
                        continue
                    }
                    answer(index, try writeThrough(table, change, db))
                }
                return try endRun(db)
            }
        }
        if ended.owesEntry { try SQLCaseStore.appendFeed(ended.table, recordId: ended.recordId, now: now, db) }
    }

    /// The same id with other content is not a retry: a device restored from a backup numbers
    /// its new edits as the old ones. Tell it, so it renumbers and resends.
    private static func replay(_ change: Change, _ answer: PushLedger.Answer, digest: String) -> ChangeResult {
        if let priorDigest = answer.digest, priorDigest != digest {
            return ChangeResult(
                changeId: change.changeId, status: .changeIdReused,
                reason: "更改编号已被使用过（设备数据可能从备份恢复），请用新的客户端编号重新发送")
        }
        return ChangeResult(
            changeId: change.changeId, status: ChangeStatus(rawValue: answer.status) ?? .rejected,
            reason: answer.reason, replayed: true)
    }
}

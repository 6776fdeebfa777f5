import Foundation
import MutualAidDomain
import SyncStorage

/// Staff decisions on registrations, units and enrolments: each is performed once, when it
/// is pushed, and kept as an audit row; a refusal is the change's answer.
struct WorkActionTable: RowBackedTable {
    let rows = RowTable(spec: .workAction)

    func create(_ db: any SQLConnection, recordId: String, change: Change, by principal: Principal) throws -> Result<
        StoredRecord, RuleViolation
    > {
        guard change.op == .upsert else { return .failure(ServerTables.notFound) }
        guard principal.role != .member else { return .failure(RuleViolation(field: "role", message: "会员不能办理该业务")) }
        let now = Date()
        let request: WorkRequest
        do throws(RuleViolation) { request = try WorkRequest(fields: change.fields) } catch { return .failure(error) }
        let outcome: (violation: RuleViolation?, orgPath: String)
        switch request.action {
        case .reviewRegistration(let pass, let note):
            outcome = try UnitApproval.perform(
                db, id: request.subjectId, pass: pass, note: note, by: principal, now: now)
        case .mergeUnit(let from):
            outcome = try UnitMerge.perform(db, into: request.subjectId, from: from, by: principal, now: now)
        case .acquire:
            outcome = try PoolHolds.perform(db, request, acquire: true, by: principal, now: now)
        case .release:
            outcome = try PoolHolds.perform(db, request, acquire: false, by: principal, now: now)
        case .enrolment, .setFees, .addInvoice, .printLetter:
            let violation = try EnrolmentActions.perform(db, request, by: principal, now: now)
            outcome = (violation, try ApplicationRecord.load(db, id: request.subjectId)?.stored.orgPath ?? "")
        }
        if let violation = outcome.violation { return .failure(violation) }
        try rows.insert(
            db, recordId: recordId, VersionedRecord(fields: change.fields),
            extra: [
                "org_path": outcome.orgPath, "account_id": principal.accountId, "applied_at": Timestamp.format(now),
            ])
        return .success(try rows.load(db, recordId: recordId)!)
    }

    func checkWrite(_ db: any SQLConnection, _ stored: StoredRecord, change: Change, by principal: Principal) throws
        -> RuleViolation?
    {
        RuleViolation(field: "id", message: "该操作已办理，不能修改")
    }
}

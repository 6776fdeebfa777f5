import Foundation
import GRDB
import MutualAidDomain

/// A pushed `work_action` record, read into what the performers need.
struct WorkActionFields {
    var subject: String
    var subjectId: String
    var name: String
    var decision: String?
    var note: String?
    var data: [String: FieldValue]

    init(_ f: FieldMap) {
        subject = f["subject"]?.stringValue ?? ""
        subjectId = f["subjectId"]?.stringValue ?? ""
        name = f["action"]?.stringValue ?? ""
        decision = f["decision"]?.stringValue
        note = f["note"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        data = JSONText.decode([String: FieldValue].self, f["data"]?.stringValue) ?? [:]
    }

    func string(_ key: String) -> String? { data[key]?.stringValue }
    func bool(_ key: String) -> Bool? {
        switch data[key] {
        case .bool(let b): b
        case .int(let i): i != 0
        default: nil
        }
    }
}

/// Staff decisions on registrations, units and enrolments: each is performed once, when it
/// is pushed, and kept as an audit row; a refusal is the change's answer.
struct WorkActionTable: RowBackedTable {
    let rows = RowTable(spec: .workAction)

    func create(_ db: Database, recordId: String, change: Change, by principal: Principal) throws -> Result<StoredRecord, RuleViolation> {
        guard change.op == .upsert else { return .failure(ServerTables.notFound) }
        guard principal.role != .member else { return .failure(RuleViolation(field: "role", message: "会员不能办理该业务")) }
        let now = Date()
        let action = WorkActionFields(change.fields)
        let outcome: (violation: RuleViolation?, orgPath: String)
        switch action.subject {
        case "registration": outcome = try UnitApproval.perform(db, action, by: principal, now: now)
        case "unit": outcome = try UnitMerge.perform(db, action, by: principal, now: now)
        case "enrolment":
            let violation = try EnrolmentActions.perform(db, action, by: principal, now: now)
            outcome = (violation, try ApplicationRecord.load(db, id: action.subjectId)?.stored.orgPath ?? "")
        default: outcome = (RuleViolation(field: "subject", message: "不认识的业务类别"), "")
        }
        if let violation = outcome.violation { return .failure(violation) }
        try rows.insert(db, recordId: recordId, VersionedRecord(fields: change.fields),
                        extra: ["org_path": outcome.orgPath, "account_id": principal.accountId, "applied_at": Timestamp.format(now)])
        return .success(try rows.load(db, recordId: recordId)!)
    }

    func checkWrite(_ db: Database, _ stored: StoredRecord, change: Change, by principal: Principal) throws -> RuleViolation? {
        RuleViolation(field: "id", message: "该操作已办理，不能修改")
    }
}

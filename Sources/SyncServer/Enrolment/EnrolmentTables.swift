import Foundation
import MutualAidDomain
import SyncStorage

/// Enrolment applications: created offline by a unit clerk (or an agent for a unit), edited
/// while a draft or returned, submitted by raising `submission`.
struct ApplicationTable: RowBackedTable, FollowUpWork {
    let rows = RowTable(spec: .enrolmentApplication)

    func create(_ db: any SQLConnection, recordId: String, change: Change, by principal: Principal) throws -> Result<
        StoredRecord, RuleViolation
    > {
        guard principal.role == .unit || principal.role == .agent else {
            return .failure(RuleViolation(field: "role", message: "参保录入由参保单位经办人或代办机构办理"))
        }
        let unit: OrgNode
        switch try OrgNode.workableUnit(db, id: change.fields["unitId"]?.stringValue, for: principal) {
        case .failure(let violation): return .failure(violation)
        case .success(let node): unit = node
        }
        if let originalId = change.fields["originalId"]?.stringValue,
            let violation = try EnrolmentChanges.checkOriginal(db, originalId, unitId: unit.id, principal)
        {
            return .failure(violation)
        }
        let agency = try unit.parentId.flatMap { try OrgNode.load(db, id: $0) }
        let fields: FieldMap = [
            "unitId": .string(unit.id), "state": .string(EnrolmentState.draft.rawValue),
            "unitName": .string(unit.name), "agencyId": agency.map { .string($0.id) } ?? .null,
            "agencyName": agency.map { .string($0.name) } ?? .null, "printCount": .int(0),
            "handledSubmission": .int(0),
        ]
        // Initial values, stamped at the epoch: the client's fields of this same change (a
        // submission raised offline before the server saw the draft) and the server's own writes
        // later in this transaction (the submission's state) must all win over them.
        let clocks = ServerWrites.clocks(
            fields.filter { spec.serverFields.contains($0.key) }, now: Date(timeIntervalSince1970: 0))
        try rows.insert(
            db, recordId: recordId, VersionedRecord(fields: fields, clocks: clocks), extra: ["org_path": unit.path])
        return .success(try rows.load(db, recordId: recordId)!)
    }

    func checkWrite(_ db: any SQLConnection, _ stored: StoredRecord, change: Change, by principal: Principal) throws
        -> RuleViolation?
    {
        let app = ApplicationRecord(id: change.recordId, stored: stored)
        guard principal.role == .unit || principal.role == .agent else {
            return RuleViolation(field: "role", message: "参保录入由参保单位经办人或代办机构办理")
        }
        if let unitId = change.fields["unitId"]?.stringValue, unitId != app.unitId {
            return RuleViolation(field: "unitId", message: "参保申请不能改到别的单位")
        }
        if let originalId = change.fields["originalId"], originalId != stored.record.fields["originalId"] ?? .null {
            return RuleViolation(field: "originalId", message: "变更申请不能改为变更别的参保申请")
        }
        guard app.state.isEditable else {
            return RuleViolation(field: "state", message: "参保申请当前为「\(app.state.chineseName)」，不能再修改或提交")
        }
        return change.op == .delete ? RuleViolation(field: "id", message: "参保申请不能删除，请办理撤销") : nil
    }

    /// A raised submission is handled here, in the push's transaction: a refusal (no list, a
    /// rate too low to even count) rolls the change back and becomes its answer.
    func afterApply(_ db: any SQLConnection, recordId: String, by principal: Principal, now: Date) throws {
        guard var app = try ApplicationRecord.load(db, id: recordId),
            app.int("submission") > app.int("handledSubmission")
        else { return }
        try EnrolmentSubmission.submit(db, &app, by: principal, now: now)
    }
}

/// The persons of an application's lists; the server checks each again.
struct PersonTable: RowBackedTable {
    let rows = RowTable(spec: .enrolmentPerson)

    func create(_ db: any SQLConnection, recordId: String, change: Change, by principal: Principal) throws -> Result<
        StoredRecord, RuleViolation
    > {
        let f = change.fields
        guard let app = try editableApplication(db, f["applicationId"]?.stringValue, principal) else {
            return .failure(ServerTables.notFound)
        }
        if let violation = try Self.check(db, f, app: app, except: nil) {
            return .failure(violation)
        }
        try rows.insert(db, recordId: recordId, VersionedRecord(fields: f), extra: ["org_path": app.stored.orgPath])
        return .success(try rows.load(db, recordId: recordId)!)
    }

    func checkWrite(_ db: any SQLConnection, _ stored: StoredRecord, change: Change, by principal: Principal) throws
        -> RuleViolation?
    {
        guard let app = try editableApplication(db, stored.record.fields["applicationId"]?.stringValue, principal)
        else {
            return RuleViolation(field: "state", message: "参保申请已提交，人员清单不能再修改")
        }
        guard change.op == .upsert else { return nil }
        var merged = stored.record.fields
        merged.merge(change.fields) { _, new in new }
        if merged["applicationId"] != stored.record.fields["applicationId"] {
            return RuleViolation(field: "applicationId", message: "参保人员不能改到别的参保申请")
        }
        if merged["removal"] != stored.record.fields["removal"] {
            return RuleViolation(field: "removal", message: "增员行与减员行不能互改，请删除该行后重新添加")
        }
        return try Self.check(db, merged, app: app, except: change.recordId)
    }

    /// A removal row (减员) must name a person the original covers; any other row passes the
    /// list rules.
    static func check(_ db: any SQLConnection, _ f: FieldMap, app: ApplicationRecord, except: String?) throws
        -> RuleViolation?
    {
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
        if let removal = f["removal"], removal != .null, removal != .int(0) {
            return try EnrolmentChanges.checkRemoval(db, f, app: app, today: today)
        }
        return try EnrolmentSubmission.checkPerson(db, f, app: app, today: today, except: except)
    }
}

/// Import records (导入记录) of an application's lists.
struct ImportTable: RowBackedTable {
    let rows = RowTable(spec: .enrolmentImport)

    func create(_ db: any SQLConnection, recordId: String, change: Change, by principal: Principal) throws -> Result<
        StoredRecord, RuleViolation
    > {
        guard let app = try editableApplication(db, change.fields["applicationId"]?.stringValue, principal) else {
            return .failure(ServerTables.notFound)
        }
        try rows.insert(
            db, recordId: recordId, VersionedRecord(fields: ["applicationId": .string(app.id)]),
            extra: ["org_path": app.stored.orgPath])
        return .success(try rows.load(db, recordId: recordId)!)
    }

    func checkWrite(_ db: any SQLConnection, _ stored: StoredRecord, change: Change, by principal: Principal) throws
        -> RuleViolation?
    {
        RuleViolation(field: "id", message: "导入记录不能修改")
    }
}

/// The application a list change belongs to, if the principal may still change its lists.
private func editableApplication(_ db: any SQLConnection, _ id: String?, _ principal: Principal) throws
    -> ApplicationRecord?
{
    guard principal.role == .unit || principal.role == .agent, let id, let app = try ApplicationRecord.load(db, id: id),
        principal.scope.contains(orgPath: app.stored.orgPath), app.state.isEditable
    else { return nil }
    return app
}

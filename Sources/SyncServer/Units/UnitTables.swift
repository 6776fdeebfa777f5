import Foundation
import MutualAidDomain
import SyncStorage

/// Units: agents maintain the data (信息维护); nobody creates one by push (approval does).
struct UnitTable: RowBackedTable {
    let rows = RowTable(spec: .unit)

    func checkWrite(_ db: any SQLConnection, _ stored: StoredRecord, change: Change, by principal: Principal) throws
        -> RuleViolation?
    {
        guard principal.role == .agent || principal.role == .office else {
            return RuleViolation(field: "actor", message: "单位信息由代办机构维护，请联系所属代办机构")
        }
        guard change.op == .upsert else { return RuleViolation(field: "id", message: "单位不能删除；重复的单位请合并") }
        guard stored.record.fields["state"]?.stringValue != "merged" else {
            return RuleViolation(field: "state", message: "该单位已合并，不能再修改")
        }
        let f = change.fields
        do throws(RuleViolation) {
            if let code = f["code"]?.stringValue { try UnifiedSocialCreditCode.validate(code, field: "code") }
            if let code = f["unionCode"]?.stringValue { try UnifiedSocialCreditCode.validate(code, field: "unionCode") }
            if let nature = f["nature"]?.stringValue, !UnitRegistrationForm.natures.contains(nature) {
                throw RuleViolation(
                    field: "nature", message: "单位性质须是：\(UnitRegistrationForm.natures.joined(separator: "、"))")
            }
            for key in ["name", "code", "address"] where f[key] == .null || f[key]?.stringValue?.isEmpty == true {
                throw RuleViolation(field: key, message: "单位名称、单位代码和地址不能为空")
            }
        } catch {
            return error
        }
        return nil
    }
}

/// Contacts (联系人) of a unit: added by agents or the unit, invalidated rather than deleted.
struct ContactTable: RowBackedTable {
    let rows = RowTable(spec: .unitContact)

    func create(_ db: any SQLConnection, recordId: String, change: Change, by principal: Principal) throws -> Result<
        StoredRecord, RuleViolation
    > {
        guard [.unit, .agent, .office].contains(principal.role) else { return .failure(ServerTables.notFound) }
        let unit: OrgNode
        switch try OrgNode.workableUnit(db, id: change.fields["unitId"]?.stringValue, for: principal) {
        case .failure(let violation): return .failure(violation)
        case .success(let node): unit = node
        }
        if let violation = Self.check(change.fields, creating: true) { return .failure(violation) }
        try rows.insert(
            db, recordId: recordId, VersionedRecord(fields: ["unitId": .string(unit.id), "valid": .int(1)]),
            extra: ["org_path": unit.path])
        return .success(try rows.load(db, recordId: recordId)!)
    }

    func checkWrite(_ db: any SQLConnection, _ stored: StoredRecord, change: Change, by principal: Principal) throws
        -> RuleViolation?
    {
        guard change.op == .upsert else { return RuleViolation(field: "id", message: "联系人不能删除，请设为无效") }
        if let unitId = change.fields["unitId"], unitId != stored.record.fields["unitId"] {
            return RuleViolation(field: "unitId", message: "联系人不能改到别的单位")
        }
        return Self.check(change.fields, creating: false)
    }

    static func check(_ f: FieldMap, creating: Bool) -> RuleViolation? {
        do throws(RuleViolation) {
            if creating || f["name"] != nil {
                guard let name = f["name"]?.stringValue, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw RuleViolation(field: "name", message: "联系人姓名不能为空")
                }
            }
            if let phone = f["officePhone"]?.stringValue { try ContactRules.validateOfficePhone(phone) }
            if let email = f["email"]?.stringValue { try ContactRules.validateEmail(email) }
            if creating, f["mobile"]?.stringValue == nil {
                throw RuleViolation(field: "mobile", message: "联系人手机号码不能为空")
            }
        } catch {
            return error
        }
        return nil
    }
}

/// Unit merge (单位合并): the second unit's members, accounts and records move to the first;
/// each moved record is fed again so clients of the new subtree pull it.
enum UnitMerge {
    static func perform(
        _ db: any SQLConnection, into intoId: String, from fromId: String, by principal: Principal,
        now: Date
    ) throws -> (violation: RuleViolation?, orgPath: String) {
        guard principal.role == .agent || principal.role == .office else {
            return (RuleViolation(field: "actor", message: "单位合并由代办机构或办事处办理"), "")
        }
        let units = UnitTable()
        guard fromId != intoId, var from = try units.load(db, recordId: fromId),
            let into = try units.load(db, recordId: intoId),
            principal.scope.contains(orgPath: from.orgPath), principal.scope.contains(orgPath: into.orgPath)
        else {
            return (RuleViolation(field: "unitId", message: "要合并的两个单位须不同，且都在您的管辖范围内"), "")
        }
        guard from.record.fields["state"]?.stringValue == "active", into.record.fields["state"]?.stringValue == "active"
        else {
            return (RuleViolation(field: "state", message: "已合并的单位不能再合并"), "")
        }
        try ServerWrites.update(
            units, id: fromId, &from, ["state": .string("merged"), "mergedInto": .string(intoId)], now: now, db)
        try db.execute(sql: "UPDATE member SET unit_id = ? WHERE unit_id = ?", arguments: [intoId, fromId])
        try db.execute(sql: "UPDATE account SET org_id = ? WHERE org_id = ?", arguments: [intoId, fromId])
        // Messages move with the members and clerks they are addressed to.
        for table in ServerTables.all
        where (table.spec.audience == .memberRecords || table.spec.audience == .addressed)
            && table.spec.name != "unit" && table.spec.name != "unit_registration"
        {
            let ids = try db.fetchValues(
                String.self,
                sql: "SELECT id FROM \(table.spec.name) WHERE org_path = ?", arguments: [from.orgPath])
            try db.execute(
                sql: "UPDATE \(table.spec.name) SET org_path = ? WHERE org_path = ?",
                arguments: [into.orgPath, from.orgPath])
            for id in ids { try SQLCaseStore.appendFeed(table, recordId: id, now: now, db) }
        }
        return (nil, into.orgPath)
    }
}

import Foundation
import MutualAidDomain
import SyncStorage

/// Claims: a member creates a draft and edits it until it is submitted; then it is read-only
/// for the member except for re-submitting after a request for more material.
struct ClaimTable: RowBackedTable, FollowUpWork {
    let rows = RowTable(spec: .claim, privateCondition: "state = 'draft'")

    func create(_ db: any SQLConnection, recordId: String, change: Change, by principal: Principal) throws -> Result<
        StoredRecord, RuleViolation
    > {
        guard change.op == .upsert else { return .failure(ServerTables.notFound) }
        if principal.role != .member {
            return try StaffIntake.create(db, claimId: recordId, change: change, by: principal, now: Date())
        }
        guard let memberId = principal.memberId else { return .failure(ServerTables.notFound) }
        if let violation = CostEntryChecks.memberWrite(change) { return .failure(violation) }
        let fields: FieldMap = [
            "memberId": .string(memberId), "state": .string(ClaimStates.draft), "submission": .int(0),
            "handledSubmission": .int(0),
        ]
        try rows.insert(db, recordId: recordId, VersionedRecord(fields: fields), extra: ["org_path": principal.orgPath])
        return .success(try rows.load(db, recordId: recordId)!)
    }

    func checkWrite(_ db: any SQLConnection, _ stored: StoredRecord, change: Change, by principal: Principal) throws
        -> RuleViolation?
    {
        let state = stored.record.fields["state"]?.stringValue ?? ClaimStates.draft
        if principal.role != .member {
            // Cost entry: the holder edits payee and incident while accepted or in first review.
            guard change.op == .upsert, change.fields["submission"] == nil else {
                return RuleViolation(field: "op", message: "经办人员不能删除或提交会员的申领")
            }
            if state == ClaimStates.draft, stored.record.fields["caseNumber"] == nil {
                return nil  // a staff acceptance being created in this same push
            }
            // What was accepted (enrolment, claim type, standards) stays as accepted.
            for key in ["enrolmentId", "claimType", "standardIds"]
            where change.fields[key] != nil && change.fields[key] != stored.record.fields[key] {
                return RuleViolation(field: key, message: "受理后不能更改参保记录、申领类型或申领标准；如有错误请撤销后重新受理")
            }
            if let violation = SettlementTable.mayEnterCosts(CaseRecord(id: "", stored: stored), principal) {
                return violation
            }
            return try CostEntryChecks.disability(db, stored.record.fields, change)
        }
        if let violation = CostEntryChecks.memberWrite(change) { return violation }
        if change.op == .delete {
            return state == ClaimStates.draft ? nil : RuleViolation(field: "op", message: "申领已提交，不能删除")
        }
        if state == ClaimStates.draft { return nil }
        if state == ClaimStates.supplementRequested && Set(change.fields.keys) == ["submission"] { return nil }
        return RuleViolation(field: "state", message: "申领已提交，不能再修改")
    }

    /// The claim's materials go with it; their deletions reach the member's other devices.
    func delete(_ db: any SQLConnection, recordId: String) throws {
        let materials = MaterialTable()
        for id in try db.fetchValues(
            String.self,
            sql: "SELECT id FROM claim_material WHERE claim_id = ?", arguments: [recordId])
        {
            if let stored = try materials.load(db, recordId: id) {
                try SQLCaseStore.appendFeed(materials, recordId: id, deleted: stored, now: Date(), db)
            }
        }
        try rows.delete(db, recordId: recordId)
    }

    func afterApply(_ db: any SQLConnection, recordId: String, by principal: Principal, now: Date) throws {
        if principal.role != .member, var c = try CaseRecord.load(db, id: recordId), c.state == .draft,
            c.text("caseNumber") == nil
        {
            try StaffIntake.accept(db, &c, source: principal.role == .unit ? .unit : .office, by: principal, now: now)
            return
        }
        try CaseCalculation.voidIfStale(db, claimId: recordId, now: now)
        try ClaimIntake.process(db, claimId: recordId, now: now)
    }
}

/// Materials of a claim: added while the claim is a draft, or for a requested supplement.
struct MaterialTable: RowBackedTable {
    let rows = RowTable(
        spec: .claimMaterial,
        privateCondition: RowTable.ofDraftClaim(.claimMaterial))

    /// Never called: `checkWrite` refuses a material's deletion, and a deleted draft's
    /// materials go with its row (ON DELETE CASCADE). Kept a no-op as before.
    func delete(_ db: any SQLConnection, recordId: String) throws {}

    func create(_ db: any SQLConnection, recordId: String, change: Change, by principal: Principal) throws -> Result<
        StoredRecord, RuleViolation
    > {
        guard change.op == .upsert, let claimId = change.fields["claimId"]?.stringValue,
            let claim = try ClaimTable().load(db, recordId: claimId),
            principal.role == .member, claim.memberId == principal.memberId
        else {
            return .failure(ServerTables.notFound)
        }
        guard let item = change.fields["item"]?.stringValue, let sha = change.fields["sha256"]?.stringValue,
            sha.count == 64, sha.allSatisfy({ $0.isHexDigit && !$0.isUppercase }), let bytes = change.fields["bytes"],
            case .int(let size) = bytes,
            (1...Int64(MaterialLimits.maxBytes)).contains(size),
            let type = change.fields["contentType"]?.stringValue, MaterialLimits.contentTypes.contains(type)
        else {
            return .failure(RuleViolation(field: "fields", message: "材料信息不完整或格式不支持（png、jpeg、pdf，不超过10MB）"))
        }
        if let violation = try MaterialRules.check(db, claim: claim, claimId: claimId, item: item) {
            return .failure(violation)
        }
        let fields: FieldMap = [
            "claimId": .string(claimId), "item": .string(item), "sha256": .string(sha),
            "bytes": .int(size), "contentType": .string(type), "verified": .int(0),
        ]
        try rows.insert(
            db, recordId: recordId, VersionedRecord(fields: fields),
            extra: ["member_id": claim.memberId, "org_path": claim.orgPath])
        return .success(try rows.load(db, recordId: recordId)!)
    }

    /// A material's description is fixed once recorded: its bytes are identified by the hash.
    func checkWrite(_ db: any SQLConnection, _ stored: StoredRecord, change: Change, by principal: Principal) throws
        -> RuleViolation?
    {
        if change.op == .delete { return RuleViolation(field: "op", message: "材料登记后不能删除") }
        for (key, value) in change.fields where stored.record.fields[key] != value {
            return RuleViolation(field: key, message: "材料已登记，不能修改；如需更换请重新上传")
        }
        return nil
    }
}

enum MaterialRules {
    /// The claim must accept this item now (draft, or a supplement asking for it) and the item's
    /// maximum count must not be exceeded.
    static func check(_ db: any SQLConnection, claim: StoredRecord, claimId: String, item: String) throws
        -> RuleViolation?
    {
        let state = claim.record.fields["state"]?.stringValue ?? ClaimStates.draft
        if state == ClaimStates.supplementRequested {
            let requested = ClaimIntake.decodeList(claim.record.fields["supplementItems"]?.stringValue)
            guard requested.contains(item) else {
                return RuleViolation(field: "item", message: "补材只能上传审核人员要求的材料")
            }
        } else if state != ClaimStates.draft {
            return RuleViolation(field: "state", message: "申领已提交，不能再添加材料")
        }
        let claimType = claim.record.fields["claimType"]?.stringValue ?? ""
        guard
            let maxCount = try db.fetchValue(
                Int.self,
                sql: "SELECT max_count FROM material_item WHERE claim_type = ? AND item = ?",
                arguments: [claimType, item])
        else {
            return RuleViolation(field: "item", message: "该申领类型没有这项材料")
        }
        let count =
            try db.fetchValue(
                Int.self,
                sql: "SELECT COUNT(*) FROM claim_material WHERE claim_id = ? AND item = ?",
                arguments: [claimId, item]) ?? 0
        return count < maxCount ? nil : RuleViolation(field: "item", message: "这项材料最多上传 \(maxCount) 份")
    }
}

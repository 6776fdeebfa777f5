import Foundation
import MutualAidDomain
import SyncStorage

/// What came of a catalogue change by the office.
public enum CatalogueOutcome: Sendable, Equatable {
    case done(id: String)
    case refused(RuleViolation)
    case notFound

    /// `field == "actor"` answers 403 rather than 422.
    static let officeOnly = RuleViolation(field: "actor", message: "保障活动、给付标准和申领材料由办事处维护")
}

/// 活动管理 and 申领材料: the office's writes to the catalogue, each fed to every client in its
/// transaction. Rules are `CatalogueRules`; the rule of a standard in use changes only through
/// dated versions (`addStandardVersion`), so no filed claim is recalculated by an edit here.
extension SQLCaseStore {
    public func addActivity(_ a: ProtectionActivity, by principal: Principal, now: Date) async throws
        -> CatalogueOutcome
    {
        guard principal.role == .office else { return .refused(CatalogueOutcome.officeOnly) }
        if let v = CatalogueRules.check(activity: a) { return .refused(v) }
        return try await database.write { db in
            guard try RowTable(spec: .activity).load(db, recordId: a.id) == nil else {
                return .refused(RuleViolation(field: "id", message: "已有该编号的保障活动，请换一个编号"))
            }
            try Self.insertActivity(a, now: now, db)
            return .done(id: a.id)
        }
    }

    public func changeActivity(
        id: String, name: String?, subtype: String?, minRatePercent: Int?, by principal: Principal, now: Date
    ) async throws -> CatalogueOutcome {
        guard principal.role == .office else { return .refused(CatalogueOutcome.officeOnly) }
        if let v = CatalogueRules.checkNames(name: name, subtype: subtype) { return .refused(v) }
        if let minRatePercent, let v = CatalogueRules.checkMinRate(minRatePercent) { return .refused(v) }
        var changes = FieldMap()
        if let name { changes["name"] = .string(name) }
        if let subtype { changes["subtype"] = .string(subtype) }
        if let minRatePercent { changes["minEnrolmentRatePct"] = .int(Int64(minRatePercent)) }
        guard !changes.isEmpty else {
            return .refused(RuleViolation(field: "change", message: "请至少给出一项要修改的内容（名称、细类或最低参保率）"))
        }
        return try await database.write { [changes] db in
            let table = RowTable(spec: .activity)
            guard var stored = try table.load(db, recordId: id) else { return .notFound }
            try ServerWrites.update(table, id: id, &stored, changes, now: now, db)
            return .done(id: id)
        }
    }

    public func addStandard(_ s: ClaimStandard, by principal: Principal, now: Date) async throws -> CatalogueOutcome {
        guard principal.role == .office else { return .refused(CatalogueOutcome.officeOnly) }
        if let v = CatalogueRules.check(standard: s) { return .refused(v) }
        return try await database.write { db in
            guard try RowTable(spec: .activity).load(db, recordId: s.activityId) != nil else { return .notFound }
            guard try RowTable(spec: .claimStandard).load(db, recordId: s.id) == nil else {
                return .refused(RuleViolation(field: "standardId", message: "已有该编号的给付标准，请换一个编号"))
            }
            try Self.insertStandard(s, now: now, db)
            return .done(id: s.id)
        }
    }

    /// Adds or changes a checklist line. Materials already attached stay; a lowered count or a
    /// new required line applies to submissions from now on.
    public func setMaterialItem(
        claimType: ClaimType, _ m: MaterialRequirement, sortOrder: Int?, by principal: Principal, now: Date
    ) async throws -> CatalogueOutcome {
        guard principal.role == .office else { return .refused(CatalogueOutcome.officeOnly) }
        if let v = CatalogueRules.check(material: m) { return .refused(v) }
        return try await database.write { db in
            let table = RowTable(spec: .materialItem)
            let id = Self.materialItemId(claimType, m.item)
            var fields: FieldMap = [
                "claimType": .string(claimType.rawValue), "item": .string(m.item), "name": .string(m.name),
                "required": .int(m.required ? 1 : 0), "maxCount": .int(Int64(m.maxCount)),
            ]
            if var stored = try table.load(db, recordId: id) {
                if let sortOrder { fields["sortOrder"] = .int(Int64(sortOrder)) }
                try ServerWrites.update(table, id: id, &stored, fields, now: now, db)
            } else {
                let last = try db.fetchOne(
                    sql: "SELECT MAX(sort_order) AS last FROM material_item WHERE claim_type = ?",
                    arguments: [claimType.rawValue])
                let next = ((try last?["last"] as Int64?) ?? 0) + 1
                fields["sortOrder"] = .int(sortOrder.map(Int64.init) ?? next)
                try ServerWrites.insert(table, id: id, fields, orgPath: "", now: now, db)
            }
            return .done(id: id)
        }
    }

    /// Removes a checklist line no claim has used; a line with materials behind it can only be
    /// made optional, so no filed case loses the name of what it holds.
    public func removeMaterialItem(claimType: ClaimType, item: String, by principal: Principal, now: Date)
        async throws -> CatalogueOutcome
    {
        guard principal.role == .office else { return .refused(CatalogueOutcome.officeOnly) }
        return try await database.write { db in
            let table = RowTable(spec: .materialItem)
            let id = Self.materialItemId(claimType, item)
            guard let stored = try table.load(db, recordId: id) else { return .notFound }
            let used = try db.fetchOne(
                sql: """
                    SELECT COUNT(*) AS n FROM claim_material m JOIN claim c ON c.id = m.claim_id
                    WHERE m.item = ? AND c.claim_type = ?
                    """,
                arguments: [item, claimType.rawValue])
            guard ((try used?["n"] as Int64?) ?? 0) == 0 else {
                return .refused(
                    RuleViolation(
                        field: "item", message: "已有申领上传了这项材料，不能删除；如不再需要，请改为非必需（--optional）"))
            }
            try table.delete(db, recordId: id)
            try Self.appendFeed(table, recordId: id, deleted: stored, now: now, db)
            return .done(id: id)
        }
    }

    /// Sets a row of the disability grade table. Refused while an open case is calculated with
    /// that grade, so a change never alters a case already filed; closed cases keep their amount.
    public func setDisabilityGrade(_ g: DisabilityGrade, by principal: Principal, now: Date) async throws
        -> CatalogueOutcome
    {
        guard principal.role == .office else { return .refused(CatalogueOutcome.officeOnly) }
        if let v = CatalogueRules.check(grade: g) { return .refused(v) }
        return try await database.write { db in
            let open = CaseState.allCases.filter { !$0.isTerminal && $0 != .draft }.map(\.rawValue)
            let marks = open.map { _ in "?" }.joined(separator: ", ")
            let inUse =
                try db.fetchValue(
                    Int.self,
                    sql: "SELECT COUNT(*) FROM claim WHERE disability_grade = ? AND state IN (\(marks))",
                    arguments: [Int64(g.grade)] + SQLArguments(open.map { $0 as (any SQLBindable)? })) ?? 0
            guard inUse == 0 else {
                return .refused(
                    RuleViolation(
                        field: "grade",
                        message: "有 \(inUse) 件未结案的案件按该等级计算，修改会改变其结果；请在这些案件结案后再修改"))
            }
            try Self.putGrade(g, now: now, db)
            return .done(id: "grade-\(g.grade)")
        }
    }

    static func putGrade(_ grade: DisabilityGrade, now: Date, _ db: any SQLConnection) throws {
        let table = RowTable(spec: .disabilityGrade)
        let id = "grade-\(grade.grade)"
        let fields = CalculationInputs.fields(grade)
        if var stored = try table.load(db, recordId: id) {
            try ServerWrites.update(table, id: id, &stored, fields, now: now, db)
        } else {
            try ServerWrites.insert(table, id: id, fields, orgPath: "", now: now, db)
        }
    }

    static func materialItemId(_ claimType: ClaimType, _ item: String) -> String { "\(claimType.rawValue)/\(item)" }

    static func insertActivity(_ a: ProtectionActivity, now: Date, _ db: any SQLConnection) throws {
        let entry: FieldMap = [
            "name": .string(a.name), "subtype": .string(a.subtype), "fee": .string(a.fee.description),
            "minEnrolmentRatePct": .int(Int64(a.minEnrolmentRatePercent)),
        ]
        try ServerWrites.insert(RowTable(spec: .activity), id: a.id, entry, orgPath: "", now: now, db)
        for var s in a.standards {
            s.activityId = a.id
            try insertStandard(s, now: now, db)
        }
    }

    static func insertStandard(_ s: ClaimStandard, now: Date, _ db: any SQLConnection) throws {
        let fields: FieldMap = [
            "activityId": .string(s.activityId), "claimType": .string(s.claimType.rawValue), "name": .string(s.name),
            "method": .string(s.method.rawValue),
            "ratioBp": s.ratioBasisPoints.map { .int(Int64($0)) } ?? .null,
            "amount": s.amount.map { .string($0.description) } ?? .null,
            "cap": s.cap.map { .string($0.description) } ?? .null,
            "waitingDays": .int(Int64(s.waitingDays)), "observationDays": .int(Int64(s.observationDays)),
            "consolation": s.consolation.map { .string($0.description) } ?? .null,
        ]
        try ServerWrites.insert(RowTable(spec: .claimStandard), id: s.id, fields, orgPath: "", now: now, db)
    }
}

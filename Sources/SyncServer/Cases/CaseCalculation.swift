import Foundation
import MutualAidDomain
import SyncStorage

/// Claim calculation (申领计算) on the server: the shared engine over the catalogue's
/// standards and grade table, the enrolment and the settlement sheets. The server's result is
/// the one that counts; clients show the same engine's figures as an estimate. The claim keeps
/// the digest of the inputs its amount came from (`amount_inputs`, server-only), so an amount
/// that no longer matches its inputs is voided (`voidIfStale`) and recalculated before any
/// step that relies on it (`recompute`).
enum CaseCalculation {
    /// The `calculate` action: calculates and records the result, with its trail line.
    static func run(_ db: any SQLConnection, _ c: inout CaseRecord, by principal: Principal, now: Date) throws
        -> RuleViolation?
    {
        let result: Calculated
        switch try calculate(db, c, now: now) {
        case .failure(let v): return v
        case .success(let value): result = value
        }
        try record(db, &c, result, step: "申领计算", by: principal.name, now: now)
        return nil
    }

    /// Before a step that relies on the amount: calculates again and records the result when
    /// it differs from the stored one; refuses the step, saying why, when it cannot calculate.
    static func recompute(
        _ db: any SQLConnection, _ c: inout CaseRecord, before action: CaseAction, by principal: Principal,
        now: Date
    ) throws -> RuleViolation? {
        let result: Calculated
        switch try calculate(db, c, now: now) {
        case .failure(let v):
            return RuleViolation(field: v.field, message: "不能执行「\(action.chineseName)」：\(v.message)")
        case .success(let value): result = value
        }
        let current = try storedDigest(db, c.id)
        if current == result.digest, c.text("amount") == result.table.total.description { return nil }
        try record(db, &c, result, step: c.text("amount") == nil ? "申领计算" : "重新计算", by: principal.name, now: now)
        return nil
    }

    /// After a write to a claim's inputs (its incident, disability grade or ratio, a settlement
    /// sheet): an amount calculated from other inputs is cleared and its lines deleted, in the
    /// same transaction, so no one sees a figure that does not match what was entered.
    static func voidIfStale(_ db: any SQLConnection, claimId: String, now: Date) throws {
        guard var c = try CaseRecord.load(db, id: claimId) else { return }
        let lineIds = try db.fetchValues(
            String.self,
            sql: "SELECT id FROM benefit_line WHERE claim_id = ?", arguments: [claimId])
        let amount = c.text("amount")
        guard amount != nil || !lineIds.isEmpty else { return }
        guard try storedDigest(db, claimId) != (try sources(db, c)).digest else { return }
        try deleteLines(db, lineIds, now: now)
        try c.commit(
            ["amount": .null], trail: ("计算结果作废", "费用录入已更改，原计算结果\(amount.map { "（\($0) 元）" } ?? "")已作废，须重新计算"),
            by: "系统", now: now, db)
        try db.execute(sql: "UPDATE claim SET amount_inputs = NULL WHERE id = ?", arguments: [claimId])
    }

    struct Calculated {
        let table: BenefitTable
        let digest: String
        /// An explicit disability ratio and its reason, for the trail.
        let explicitRatio: (basisPoints: Int, reason: String)?
    }

    static func calculate(_ db: any SQLConnection, _ c: CaseRecord, now: Date) throws -> Result<
        Calculated, RuleViolation
    > {
        let inputs = try sources(db, c)
        let filed = c.text("acceptedAt").flatMap(Timestamp.parse) ?? now
        let standards = ClaimDraft(fields: c.fields).standardIds.compactMap { id in
            inputs.standards[id].flatMap { CalculationInputs.standard(id: id, $0) }
        }
        do {
            let facts = try CalculationInputs.facts(
                claim: c.fields, enrolment: inputs.enrolment,
                sheets: inputs.sheets.sorted { $0.key < $1.key }.map(\.value),
                grades: inputs.grades,
                filingDate: CalendarDate.today(in: CalendarDate.chinaTimeZone, now: filed))
            let table = try BenefitCalculator.calculate(standards: standards, facts: facts)
            let explicit = c.int("disabilityRatioBp").flatMap { bp in c.text("disabilityRatioReason").map { (bp, $0) } }
            return .success(Calculated(table: table, digest: inputs.digest, explicitRatio: explicit))
        } catch {
            return .failure(error)
        }
    }

    /// Everything a calculation reads, and its digest.
    struct Sources {
        var enrolment: FieldMap?
        var sheets: [String: FieldMap]
        var standards: [String: FieldMap]
        var grades: [DisabilityGrade]
        var digest: String
    }

    static func sources(_ db: any SQLConnection, _ c: CaseRecord) throws -> Sources {
        let enrolment = try c.text("enrolmentId").flatMap {
            try RowTable(spec: .enrolment).load(db, recordId: $0)?.record.fields
        }
        let sheetTable = RowTable(spec: .settlementSheet)
        var sheets: [String: FieldMap] = [:]
        for row in try db.fetchAll(sql: "SELECT * FROM settlement_sheet WHERE claim_id = ?", arguments: [c.id]) {
            sheets[try row["id"]] = try sheetTable.fields(row)
        }
        var standards: [String: FieldMap] = [:]
        let ruleDate = StandardVersions.ruleDate(claim: c.fields)
        for id in ClaimDraft(fields: c.fields).standardIds {
            guard let base = try RowTable(spec: .claimStandard).load(db, recordId: id)?.record.fields else { continue }
            standards[id] = StandardVersions.resolve(
                base: base, versions: try StandardVersionStore.versions(db, standardId: id), on: ruleDate)
        }
        let grades = try CostEntryChecks.grades(db)
        let digest = CostEntry.inputsDigest(
            claim: c.fields, enrolment: enrolment, sheets: sheets, standards: standards, grades: grades)
        return Sources(enrolment: enrolment, sheets: sheets, standards: standards, grades: grades, digest: digest)
    }

    static func storedDigest(_ db: any SQLConnection, _ claimId: String) throws -> String? {
        try db.fetchValue(String.self, sql: "SELECT amount_inputs FROM claim WHERE id = ?", arguments: [claimId])
    }

    /// Writes the lines and the amount, with the digest of their inputs and a trail line.
    static func record(
        _ db: any SQLConnection, _ c: inout CaseRecord, _ result: Calculated, step: String, by operatorName: String,
        now: Date
    ) throws {
        try writeLines(db, c, result.table, now: now)
        var note = "互助金合计 \(result.table.total) 元"
        if let explicit = result.explicitRatio {
            note += "；伤残给付比例按人工填写的 \(PercentText.format(basisPoints: explicit.basisPoints))%（理由：\(explicit.reason)）"
        }
        try c.commit(
            ["amount": .string(result.table.total.description)], trail: (step, note), by: operatorName, now: now, db)
        try db.execute(sql: "UPDATE claim SET amount_inputs = ? WHERE id = ?", arguments: [result.digest, c.id])
    }

    /// Replaces the claim's benefit lines; removed lines reach clients as deletions, and a line
    /// written again over a deleted one is stamped after it.
    static func writeLines(_ db: any SQLConnection, _ c: CaseRecord, _ table: BenefitTable, now: Date) throws {
        let lines = RowTable(spec: .benefitLine)
        let removed = try deleteLines(
            db,
            try db.fetchValues(
                String.self,
                sql: "SELECT id FROM benefit_line WHERE claim_id = ?",
                arguments: [c.id]), now: now)
        for line in table.lines {
            let id = "\(c.id)/\(line.standardId)"
            let fields: FieldMap = [
                "claimId": .string(c.id), "standardId": .string(line.standardId),
                "standardName": .string(line.standardName),
                "baseAmount": .string(line.baseAmount.description),
                "baseDays": line.baseDays.map { .int(Int64($0)) } ?? .null,
                "shares": .int(Int64(line.shares)), "ratioBp": .int(Int64(line.ratioBasisPoints)),
                "benefit": .string(line.benefit.description), "note": line.note.map(FieldValue.string) ?? .null,
            ]
            try lines.insert(
                db, recordId: id,
                VersionedRecord(
                    fields: fields, clocks: ServerWrites.clocks(fields, after: removed[id] ?? [:], now: now)),
                extra: ["member_id": c.stored.memberId, "org_path": c.stored.orgPath])
            try SQLCaseStore.appendFeed(lines, recordId: id, now: now, db)
        }
    }

    /// Deletes benefit lines with their feed deletions; returns the clocks they held.
    @discardableResult
    static func deleteLines(_ db: any SQLConnection, _ ids: [String], now: Date) throws -> [String: [String: String]] {
        let lines = RowTable(spec: .benefitLine)
        var clocks: [String: [String: String]] = [:]
        for id in ids {
            guard let stored = try lines.load(db, recordId: id) else { continue }
            clocks[id] = stored.record.clocks
            try lines.delete(db, recordId: id)
            try SQLCaseStore.appendFeed(lines, recordId: id, deleted: stored, now: now, db)
        }
        return clocks
    }
}

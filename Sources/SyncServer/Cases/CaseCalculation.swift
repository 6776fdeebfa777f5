import Foundation
import GRDB
import MutualAidDomain

/// Claim calculation (申领计算) on the server: the shared engine over the catalogue's
/// standards, the enrolment and the settlement sheets. The server's result is the one that
/// counts; clients show the same engine's figures as an estimate.
enum CaseCalculation {
    static func run(_ db: Database, _ c: inout CaseRecord, by principal: Principal, now: Date) throws -> RuleViolation? {
        let facts: (standards: [ClaimStandard], facts: ClaimFacts)
        switch try inputs(db, c, now: now) {
        case .failure(let v): return v
        case .success(let value): facts = value
        }
        let table: BenefitTable
        do { table = try BenefitCalculator.calculate(standards: facts.standards, facts: facts.facts) } catch { return error }
        try writeLines(db, c, table, now: now)
        try c.commit(["amount": .string(table.total.description)], trail: ("申领计算", "互助金合计 \(table.total) 元"),
                     by: principal.name, now: now, db)
        return nil
    }

    static func inputs(_ db: Database, _ c: CaseRecord, now: Date) throws -> Result<([ClaimStandard], ClaimFacts), RuleViolation> {
        let enrolment = try c.text("enrolmentId").flatMap { try RowTable(spec: .enrolment).load(db, recordId: $0)?.record.fields }
        let sheets = try RowTable(spec: .settlementSheet).records(db, in: .member(memberId: c.stored.memberId ?? ""))
            .filter { $0.fields["claimId"] == .string(c.id) }.sorted { $0.id < $1.id }.map(\.fields)
        let filed = c.text("acceptedAt").flatMap(Timestamp.parse) ?? now
        let ids = ClaimDraft(fields: c.fields).standardIds
        let standards = try ids.compactMap { id in
            try RowTable(spec: .claimStandard).load(db, recordId: id).flatMap { CalculationInputs.standard(id: id, $0.record.fields) }
        }
        do {
            let facts = try CalculationInputs.facts(claim: c.fields, enrolment: enrolment, sheets: sheets,
                                                    filingDate: CalendarDate.today(in: CalendarDate.chinaTimeZone, now: filed))
            return .success((standards, facts))
        } catch {
            return .failure(error)
        }
    }

    /// Replaces the claim's benefit lines; removed lines reach clients as deletions.
    static func writeLines(_ db: Database, _ c: CaseRecord, _ table: BenefitTable, now: Date) throws {
        let lines = RowTable(spec: .benefitLine)
        for id in try String.fetchAll(db, sql: "SELECT id FROM benefit_line WHERE claim_id = ?", arguments: [c.id]) {
            if let stored = try lines.load(db, recordId: id) {
                try lines.delete(db, recordId: id)
                try SQLiteCaseStore.appendFeed(lines, recordId: id, deleted: stored, now: now, db)
            }
        }
        for line in table.lines {
            let id = "\(c.id)/\(line.standardId)"
            let fields: FieldMap = [
                "claimId": .string(c.id), "standardId": .string(line.standardId), "standardName": .string(line.standardName),
                "baseAmount": .string(line.baseAmount.description), "baseDays": line.baseDays.map { .int(Int64($0)) } ?? .null,
                "shares": .int(Int64(line.shares)), "ratioBp": .int(Int64(line.ratioBasisPoints)),
                "benefit": .string(line.benefit.description), "note": line.note.map(FieldValue.string) ?? .null,
            ]
            try lines.insert(db, recordId: id, VersionedRecord(fields: fields, clocks: SQLiteCaseStore.serverClocks(fields, now)),
                             extra: ["member_id": c.stored.memberId, "org_path": c.stored.orgPath])
            try SQLiteCaseStore.appendFeed(lines, recordId: id, now: now, db)
        }
    }
}

import Foundation
import MutualAidDomain
import SyncStorage

/// The later rules of claim standards (`claim_standard_version`): read by the calculation,
/// written by the office. A version is catalogue data every client pulls.
enum StandardVersionStore {
    static let table = RowTable(spec: .claimStandardVersion)

    static func versions(_ db: any SQLConnection, standardId: String) throws -> [FieldMap] {
        try db.fetchAll(
            sql: "SELECT * FROM claim_standard_version WHERE standard_id = ? ORDER BY effective_from",
            arguments: [standardId]
        ).map { try table.fields($0) }
    }

    /// The rule dates of the standard's accepted cases (drafts are not filed yet).
    static func filedRuleDates(_ db: any SQLConnection, standardId: String) throws -> [CalendarDate] {
        try db.fetchAll(
            sql: "SELECT * FROM claim WHERE case_number IS NOT NULL AND standard_ids LIKE ?",
            arguments: ["%\"\(standardId)\"%"]
        ).compactMap { row -> CalendarDate? in
            let fields = try RowTable(spec: .claim).fields(row)
            guard ClaimDraft(fields: fields).standardIds.contains(standardId) else { return nil }
            return StandardVersions.ruleDate(claim: fields)
        }
    }
}

extension SQLCaseStore {
    /// A new rule of a standard from `effectiveFrom` on (the office only); refused when it would
    /// reach a case already filed.
    public func addStandardVersion(
        standardId: String, effectiveFrom: CalendarDate, change: StandardRuleChange, by principal: Principal, now: Date
    ) async throws -> CatalogueOutcome {
        try await database.write { db in
            guard principal.role == .office else { return .refused(CatalogueOutcome.officeOnly) }
            guard let base = try RowTable(spec: .claimStandard).load(db, recordId: standardId)?.record.fields else {
                return .notFound
            }
            if let violation = StandardVersions.check(
                effectiveFrom: effectiveFrom, method: base["method"]?.stringValue, change: change,
                filed: try StandardVersionStore.filedRuleDates(db, standardId: standardId))
            {
                return .refused(violation)
            }
            let id = "\(standardId)@\(effectiveFrom)"
            guard try StandardVersionStore.table.load(db, recordId: id) == nil else {
                return .refused(
                    RuleViolation(field: "effectiveFrom", message: "该标准在 \(effectiveFrom) 已有一条生效的规则，请换一个生效日期"))
            }
            let current = StandardVersions.resolve(
                base: base, versions: try StandardVersionStore.versions(db, standardId: standardId), on: effectiveFrom)
            let fields = StandardVersions.version(
                of: standardId, current: current, effectiveFrom: effectiveFrom, change: change, by: principal.name)
            // The rule as it will stand must still be a whole one (e.g. a consolation needs an observation period).
            var resolved = base
            for key in StandardVersions.ruleKeys { resolved[key] = fields[key] ?? .null }
            if let rule = CalculationInputs.standard(id: standardId, resolved),
                let violation = CatalogueRules.checkRule(rule)
            {
                return .refused(violation)
            }
            try ServerWrites.insert(StandardVersionStore.table, id: id, fields, orgPath: "", now: now, db)
            return .done(id: id)
        }
    }
}

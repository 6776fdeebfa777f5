import Foundation
import MutualAidDomain
import SyncStorage

/// Who may write cost-entry data and what it must hold (DOMAIN §5 step 3): members never
/// (settlement sheets, disability grade and ratio, the insured's status are staff work); staff
/// give a grade from the catalogue's table, or an explicit ratio only with a reason.
enum CostEntryChecks {
    static func memberWrite(_ change: Change) -> RuleViolation? {
        guard let field = change.fields.keys.sorted().first(where: CostEntry.staffClaimFields.contains) else {
            return nil
        }
        return RuleViolation(field: field, message: CostEntry.memberRefusal)
    }

    /// A staff write touching the disability entries, checked as the record will read after it.
    static func disability(_ db: any SQLConnection, _ stored: FieldMap, _ change: Change) throws -> RuleViolation? {
        let keys: Set<String> = ["disabilityGrade", "disabilityRatioBp", "disabilityRatioReason"]
        guard change.op == .upsert, !keys.isDisjoint(with: change.fields.keys) else { return nil }
        var merged = stored
        merged.merge(change.fields) { _, new in new }
        let grades = try grades(db)
        do {
            _ = try CostEntry.disabilityRatio(claim: merged, grades: grades)
            return nil
        } catch {
            return error
        }
    }

    static func grades(_ db: any SQLConnection) throws -> [DisabilityGrade] {
        let table = RowTable(spec: .disabilityGrade)
        return try db.fetchAll(sql: "SELECT * FROM disability_grade").compactMap {
            CalculationInputs.grade(try table.fields($0))
        }
    }
}

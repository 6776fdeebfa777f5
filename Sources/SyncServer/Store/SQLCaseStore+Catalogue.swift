import Foundation
import MutualAidDomain
import SyncStorage

extension SQLCaseStore {
    /// A row of the disability grade table, added or replaced and fed to every client. An
    /// amount already calculated with the old ratio is recalculated at its next step.
    public func putDisabilityGrade(_ grade: DisabilityGrade, now: Date) async throws {
        try await database.write { db in
            let table = RowTable(spec: .disabilityGrade)
            let id = "grade-\(grade.grade)"
            let fields = CalculationInputs.fields(grade)
            if var stored = try table.load(db, recordId: id) {
                try ServerWrites.update(table, id: id, &stored, fields, now: now, db)
            } else {
                try ServerWrites.insert(table, id: id, fields, orgPath: "", now: now, db)
            }
        }
    }
}

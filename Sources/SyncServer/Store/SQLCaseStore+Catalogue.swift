import Foundation
import MutualAidDomain
import SyncStorage

extension SQLCaseStore {
    /// Seeds a row of the disability grade table (demo and set-up), without the office's checks
    /// (`setDisabilityGrade`); fed to every client.
    public func putDisabilityGrade(_ grade: DisabilityGrade, now: Date) async throws {
        try await database.write { db in try Self.putGrade(grade, now: now, db) }
    }
}

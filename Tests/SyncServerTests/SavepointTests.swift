import Foundation
import GRDB
import SyncStorage
import Testing

/// `SQLiteConnection.inSavepoint` runs its own SAVEPOINT statements inside a transaction: a
/// pushed change that is refused after writing must leave nothing, and the batch goes on.
@Suite struct SavepointTests {
    private func withStore(_ body: @escaping @Sendable (any SQLConnection) throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("savepoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = SQLiteDatabase(try DurableSQLite.pool(path: folder.appendingPathComponent("s.sqlite").path))
        try await database.write { db in try db.execute(sql: "CREATE TABLE t (v INTEGER NOT NULL)") }
        try await database.write(body)
        let values = try await database.read { db in try db.fetchValues(Int.self, sql: "SELECT v FROM t ORDER BY v") }
        #expect(values == [1, 3, 5, 6])
    }

    struct Refused: Error {}

    @Test func keptUndoneOrThrownEachLeavesWhatItShould() async throws {
        try await withStore { db in
            try db.execute(sql: "INSERT INTO t VALUES (1)")
            try db.inSavepoint {
                try db.execute(sql: "INSERT INTO t VALUES (2)")
                return false
            }
            try db.inSavepoint {
                try db.execute(sql: "INSERT INTO t VALUES (3)")
                return true
            }
            #expect(throws: Refused.self) {
                try db.inSavepoint {
                    try db.execute(sql: "INSERT INTO t VALUES (4)")
                    throw Refused()
                }
            }
            // Nested: the inner one undone, the outer one kept.
            try db.inSavepoint {
                try db.execute(sql: "INSERT INTO t VALUES (5)")
                try db.inSavepoint {
                    try db.execute(sql: "INSERT INTO t VALUES (7)")
                    return false
                }
                return true
            }
            // A statement the schema refuses, then the transaction goes on.
            #expect(throws: SQLConstraintViolation.self) {
                try db.inSavepoint {
                    try db.execute(sql: "INSERT INTO t VALUES (8)")
                    try db.execute(sql: "INSERT INTO t VALUES (NULL)")
                    return true
                }
            }
            try db.execute(sql: "INSERT INTO t VALUES (6)")
        }
    }
}

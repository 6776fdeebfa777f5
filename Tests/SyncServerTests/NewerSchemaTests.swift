import Foundation
import GRDB
import PostgresStorage
import SyncStorage
import TestSupport
import Testing

@testable import SyncServer

/// A release must not run on a store a newer release has migrated: it would write ledger rows
/// without the watermark beside them (and whatever later releases keep alongside), which could
/// apply a retried change twice.
@Suite struct NewerSchemaTests {
    @Test func aStoreMigratedByANewerReleaseIsRefusedAndLeftAsItWas() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("newer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let future = "9999_from_a_newer_release"
        var refused: NewerSchema?
        if TestStore.isPostgres {
            let url = try PostgresURL(try TestStore.newPostgresDatabase())
            let first = try await SQLCaseStore.connect(url: url, poolSize: 2)
            try await first.database.write { db in
                try db.execute(
                    sql: "INSERT INTO schema_migration (name, applied_at) VALUES (?, 'later')", arguments: [future])
            }
            do {
                _ = try await SQLCaseStore.connect(url: url, poolSize: 2)
            } catch let error as NewerSchema {
                refused = error
            }
            let names = try await first.database.read { db in
                try db.fetchValues(String.self, sql: "SELECT name FROM schema_migration")
            }
            #expect(names.contains(future))
            await (first.database as? PostgresDatabase)?.close()
        } else {
            let path = directory.appendingPathComponent("case-store.sqlite").path
            _ = try SQLCaseStore(path: path)
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(
                    sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [future])
            }
            try queue.close()
            do {
                _ = try SQLCaseStore(path: path)
            } catch let error as NewerSchema {
                refused = error
            }
        }
        #expect(refused?.unknown == [future])
        #expect(refused?.description.contains("全部升级到同一版本") == true)
    }
}

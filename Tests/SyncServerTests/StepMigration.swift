import Foundation
import PostgresStorage
import Schema
import SyncStorage
import TestSupport

@testable import SyncServer

/// A migration's backfill, tested on the store the suite runs on: a new store migrated up to
/// just before the migration named `…_name`, rows written the way an older server wrote them,
/// then the rest of the migrations, and what `read` finds.
enum StepMigration {
    static func across<T: Sendable>(
        _ name: String, write: @escaping @Sendable (any SQLConnection) throws -> Void,
        read: @escaping @Sendable (any SQLConnection) throws -> T
    ) async throws -> T {
        let isPostgres = TestStore.isPostgres
        let migrations = try Schema.migrations(for: isPostgres ? .postgres : .server)
        let before = migrations.prefix { !$0.name.hasSuffix("_" + name) }
        guard before.count < migrations.count else { throw TestStoreError("no migration named …_\(name)") }
        if isPostgres {
            let database = PostgresDatabase(
                url: try PostgresURL(try TestStore.newPostgresDatabase(unmigrated: true)), poolSize: 2)
            do {
                try await database.migrate(before.map { ($0.name, $0.sql) })
                try await database.write(write)
                try await database.migrate(migrations.map { ($0.name, $0.sql) })
                let found = try await database.read(read)
                await database.close()
                return found
            } catch {
                await database.close()
                throw error
            }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("step-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try DurableSQLite.pool(path: directory.appendingPathComponent("store.sqlite").path)
        let migrator = try SQLCaseStore.migrator()
        try migrator.migrate(pool, upTo: before.last!.name)
        let database = SQLiteDatabase(pool)
        try await database.write(write)
        try migrator.migrate(pool)
        return try await database.read(read)
    }
}

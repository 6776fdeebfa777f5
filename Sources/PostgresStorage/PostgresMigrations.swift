import Foundation
import MutualAidDomain
import SyncStorage

extension PostgresDatabase {
    /// Applies, in order, the migrations not yet recorded, all in one write transaction: the
    /// write lock lets instances starting together migrate once, and a failed file leaves the
    /// database as it was.
    public func migrate(_ migrations: [(name: String, sql: String)]) async throws {
        try await write { db in
            try db.execute(
                sql: "CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            let applied = Set(try db.fetchValues(String.self, sql: "SELECT name FROM schema_migration"))
            try NewerSchema.check(applied: applied, known: migrations.map(\.name))
            for migration in migrations where !applied.contains(migration.name) {
                for statement in SQLText.statements(migration.sql) { try db.execute(sql: statement) }
                try db.execute(
                    sql: "INSERT INTO schema_migration (name, applied_at) VALUES (?, ?)",
                    arguments: [migration.name, UTCStamp.text(Date())])
            }
        }
    }
}

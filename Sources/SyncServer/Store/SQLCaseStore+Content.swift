import Foundation
import MutualAidDomain
import SyncStorage

/// The rows behind the content store: which files exist (`material_blob`), which nothing
/// refers to any more, and the certificate photos that still sit in the database from before
/// migration 0006 until they are moved out.
extension SQLCaseStore {
    /// Files of the content store without a row (a registration whose transaction rolled back
    /// after its photos were written), removed inside a write transaction so that a store
    /// that writes its file and its row in one transaction is never cut in between. A
    /// completed upload's content is kept: its commit (on the next HEAD) may still be to come,
    /// and an upload whose one body went straight to the content store has no part to store it
    /// from again.
    public func removeUnrecordedContent(
        _ candidates: [String], remove: @escaping @Sendable (String, any SQLConnection) throws -> Void
    )
        async throws -> Int
    {
        try await database.write { db in
            let recorded = Set(
                try db.fetchValues(
                    String.self,
                    sql: "SELECT sha256 FROM material_blob UNION SELECT sha256 FROM upload WHERE completed = 1"))
            let orphans = candidates.filter { !recorded.contains($0) }
            for sha in orphans { try remove(sha, db) }
            return orphans.count
        }
    }

    /// Marks files nothing refers to, clears the mark of those referred to again, and removes
    /// (through `remove`, inside the transaction, so a completing upload that checks its file in
    /// its own transaction never sees it vanish afterwards) those marked longer than `grace`.
    public func sweepContent(
        grace: TimeInterval, now: Date,
        remove: @escaping @Sendable (String, any SQLConnection) throws -> Void
    ) async throws -> [String] {
        let referenced = """
            (EXISTS (SELECT 1 FROM claim_material m WHERE m.sha256 = material_blob.sha256)
             OR EXISTS (SELECT 1 FROM unit_registration r WHERE r.licence_sha256 = material_blob.sha256)
             OR EXISTS (SELECT 1 FROM unit_registration r WHERE r.union_cert_sha256 = material_blob.sha256))
            """
        return try await database.write { db in
            try db.execute(
                sql:
                    "UPDATE material_blob SET unreferenced_since = NULL WHERE unreferenced_since IS NOT NULL AND \(referenced)"
            )
            try db.execute(
                sql:
                    "UPDATE material_blob SET unreferenced_since = ? WHERE unreferenced_since IS NULL AND NOT \(referenced)",
                arguments: [Timestamp.format(now)])
            let gone = try db.fetchValues(
                String.self,
                sql: "SELECT sha256 FROM material_blob WHERE unreferenced_since <= ?",
                arguments: [Timestamp.format(now.addingTimeInterval(-grace))])
            for sha in gone {
                try remove(sha, db)
                try db.execute(sql: "DELETE FROM material_blob WHERE sha256 = ?", arguments: [sha])
            }
            return gone
        }
    }

    /// Certificate photos still kept in the database (registrations from before 0006).
    public func legacyCertificatePhotoHashes() async throws -> [String] {
        try await database.read { db in try db.fetchValues(String.self, sql: "SELECT sha256 FROM certificate_image") }
    }

    /// Moves one legacy photo: `store` writes it to the content store (and answers whether the
    /// bytes matched their hash); only then is the database copy dropped.
    public func moveCertificatePhoto(
        sha256: String, now: Date, store: @escaping @Sendable (Data, any SQLConnection) throws -> Bool
    ) async throws {
        try await database.write { db in
            guard
                let content = try db.fetchValue(
                    Data.self, sql: "SELECT content FROM certificate_image WHERE sha256 = ?", arguments: [sha256])
            else { return }
            guard try store(content, db) else { return }  // damaged in the database: left where it is, served never
            try db.execute(
                sql:
                    "INSERT INTO material_blob (sha256, bytes, stored_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                arguments: [sha256, content.count, Timestamp.format(now)])
            try db.execute(sql: "DELETE FROM certificate_image WHERE sha256 = ?", arguments: [sha256])
        }
    }
}

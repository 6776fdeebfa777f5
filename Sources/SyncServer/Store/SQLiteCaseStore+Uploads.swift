import Foundation
import GRDB
import MutualAidDomain

extension SQLiteCaseStore {
    static let uploadLifetime: TimeInterval = 24 * 3600

    /// A new upload for a registered material of a claim the principal may write to. The
    /// length and hash must be the ones the material was registered with.
    public func createUpload(materialId: String, length: Int64, sha256: String, by principal: Principal,
                             now: Date) async throws -> Result<UploadInfo, ServerError> {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM upload WHERE expires_at < ?", arguments: [Timestamp.format(now)])
            let table = MaterialTable()
            guard let material = try table.load(db, recordId: materialId), table.mayWrite(principal, material) else {
                return .failure(ServerError(.notFound, "not_found", "材料不存在或无权上传"))
            }
            let f = material.record.fields
            guard f["bytes"] == .int(length), f["sha256"]?.stringValue == sha256 else {
                return .failure(.badRequest("上传的文件与登记的材料不符（大小或校验值不同）", code: "material_mismatch"))
            }
            if f["verified"] == .int(1) {
                return .failure(ServerError(.conflict, "already_uploaded", "该材料已上传并校验"))
            }
            let info = UploadInfo(id: UUID().uuidString.lowercased(), accountId: principal.accountId, materialId: materialId,
                                  length: length, offset: 0, sha256: sha256, expiresAt: now.addingTimeInterval(Self.uploadLifetime))
            try db.execute(sql: """
                INSERT INTO upload (id, account_id, material_id, length, "offset", sha256, created_at, expires_at)
                VALUES (?, ?, ?, ?, 0, ?, ?, ?)
                """, arguments: [info.id, info.accountId, materialId, length, sha256, Timestamp.format(now),
                                 Timestamp.format(info.expiresAt)])
            return .success(info)
        }
    }

    /// Only the account that created an upload may see, resume or end it.
    public func upload(id: String, by principal: Principal, now: Date) async throws -> UploadLookup {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM upload WHERE id = ? AND account_id = ?",
                                             arguments: [id, principal.accountId]),
                  let expires = Timestamp.parse(row["expires_at"]) else { return .missing }
            guard expires > now else { return .expired }
            return .found(UploadInfo(id: row["id"], accountId: row["account_id"], materialId: row["material_id"],
                                     length: row["length"], offset: row["offset"], sha256: row["sha256"], expiresAt: expires))
        }
    }

    /// Records durable bytes; each PATCH also extends the upload's life.
    public func advanceUpload(id: String, to offset: Int64, now: Date) async throws -> Date {
        let expires = now.addingTimeInterval(Self.uploadLifetime)
        try await pool.write { db in
            try db.execute(sql: #"UPDATE upload SET "offset" = ?, expires_at = ? WHERE id = ?"#,
                           arguments: [offset, Timestamp.format(expires), id])
        }
        return expires
    }

    /// The last byte arrived and the whole file's hash matched: the material counts now, and a
    /// submission waiting for it is accepted in the same transaction.
    public func completeUpload(_ upload: UploadInfo, now: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO material_blob (sha256, bytes, stored_at) VALUES (?, ?, ?)",
                           arguments: [upload.sha256, upload.length, Timestamp.format(now)])
            try db.execute(sql: "DELETE FROM upload WHERE id = ?", arguments: [upload.id])
            let table = MaterialTable()
            guard var material = try table.load(db, recordId: upload.materialId) else { return }
            let stamp = ServerWrites.stamp(after: material.record.clocks, now: now).description
            material.record.merge(["verified": .int(1)], stamp: stamp)
            try table.save(db, recordId: upload.materialId, material.record)
            try Self.appendFeed(table, recordId: upload.materialId, now: now, db)
            if let claimId = material.record.fields["claimId"]?.stringValue {
                try ClaimIntake.process(db, claimId: claimId, now: now)
            }
        }
    }

    public func deleteUpload(id: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM upload WHERE id = ?", arguments: [id]) }
    }

    /// A stored material's content hash, if the principal may see its claim.
    public func readableMaterial(id: String, by principal: Principal) async throws -> (sha256: String, contentType: String)? {
        try await pool.read { db in
            guard let material = try MaterialTable().load(db, recordId: id),
                  material.record.fields["verified"] == .int(1) else { return nil }
            let visible: Bool
            switch principal.scope {
            case .member(let memberId): visible = material.memberId == memberId
            case .subtree: visible = !material.isPrivate && principal.scope.contains(orgPath: material.orgPath)
            }
            guard visible, let sha = material.record.fields["sha256"]?.stringValue,
                  let type = material.record.fields["contentType"]?.stringValue else { return nil }
            return (sha, type)
        }
    }
}

import Foundation
import MutualAidDomain
import SyncStorage

extension SQLCaseStore {
    static let uploadLifetime: TimeInterval = 24 * 3600
    /// Open uploads one material may have at a time.
    static let uploadsPerMaterial = 3

    /// A new upload for a registered material of a claim the principal may write to. The
    /// length and hash must be the ones the material was registered with.
    public func createUpload(
        materialId: String, length: Int64, sha256: String, by principal: Principal,
        now: Date
    ) async throws -> Result<UploadInfo, ServerError> {
        try await database.write { db in
            if case .failure(let refusal) = try Self.uploadable(
                db, materialId: materialId, length: length, sha256: sha256, principal)
            {
                return .failure(refusal)
            }
            let open =
                try db.fetchValue(
                    Int.self,
                    sql: "SELECT COUNT(*) FROM upload WHERE material_id = ? AND expires_at > ?",
                    arguments: [materialId, Timestamp.format(now)]) ?? 0
            guard open < Self.uploadsPerMaterial else {
                return .failure(
                    ServerError(
                        .tooManyRequests, "too_many_uploads",
                        "该材料已有 \(Self.uploadsPerMaterial) 个未完成的上传，请继续其中一个（HEAD 查询进度）或先删除（DELETE）"))
            }
            let info = UploadInfo(
                id: UUID().uuidString.lowercased(), accountId: principal.accountId, materialId: materialId,
                length: length, offset: 0, sha256: sha256,
                expiresAt: now.addingTimeInterval(Self.uploadLifetime), completed: false)
            try db.execute(
                sql: """
                    INSERT INTO upload (id, account_id, material_id, length, "offset", sha256, created_at, expires_at)
                    VALUES (?, ?, ?, ?, 0, ?, ?, ?)
                    """,
                arguments: [
                    info.id, info.accountId, materialId, length, sha256, Timestamp.format(now),
                    Timestamp.format(info.expiresAt),
                ])
            return .success(info)
        }
    }

    /// The material whose file the principal may upload now, or why not: a registered material
    /// of a claim the principal may write to, with this length and hash, not verified yet.
    static func uploadable(
        _ db: any SQLConnection, materialId: String, length: Int64, sha256: String, _ principal: Principal
    ) throws -> Result<StoredRecord, ServerError> {
        let table = MaterialTable()
        guard let material = try table.load(db, recordId: materialId), table.mayWrite(principal, material) else {
            return .failure(ServerError(.notFound, "not_found", "材料不存在或无权上传"))
        }
        let f = material.record.fields
        guard f["bytes"] == .int(length), f["sha256"]?.stringValue == sha256 else {
            return .failure(.badRequest("上传的文件与登记的材料不符（大小或校验值不同）", code: "material_mismatch"))
        }
        return f["verified"] == .int(1) ? .failure(.alreadyUploaded) : .success(material)
    }

    public func uploadRefusal(materialId: String, length: Int64, sha256: String, by principal: Principal)
        async throws -> ServerError?
    {
        try await database.read { db in
            guard
                case .failure(let refusal) = try Self.uploadable(
                    db, materialId: materialId, length: length, sha256: sha256, principal)
            else { return nil }
            return refusal
        }
    }

    /// A whole file that came with its upload's creation, stored as content: the material
    /// counts now, in one durable commit and with no upload row at all. A material verified
    /// meanwhile (the same file sent twice at once) is not verified again; any other refusal
    /// is answered. `contentIsStored` must hold inside the transaction, as for `completeUpload`.
    public func verifyWholeFile(
        materialId: String, length: Int64, sha256: String, by principal: Principal, now: Date,
        contentIsStored: @escaping @Sendable (any SQLConnection) throws -> Bool
    ) async throws -> ServerError? {
        try await database.write { db in
            switch try Self.uploadable(db, materialId: materialId, length: length, sha256: sha256, principal) {
            case .failure(let refusal):
                return refusal.code == ServerError.alreadyUploaded.code ? nil : refusal
            case .success(let material):
                guard try contentIsStored(db) else { throw DurableFile.failed }
                try Self.materialVerified(
                    db, materialId: materialId, sha256: sha256, length: length, now: now, loaded: material)
                return nil
            }
        }
    }

    /// The material's file is stored: its content row, the material verified, and a
    /// submission waiting for it accepted, in the caller's transaction. `loaded`: the material
    /// as the caller read it in this transaction (not read again).
    static func materialVerified(
        _ db: any SQLConnection, materialId: String, sha256: String, length: Int64, now: Date,
        loaded: StoredRecord? = nil
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO material_blob (sha256, bytes, stored_at) VALUES (?, ?, ?)
                ON CONFLICT (sha256) DO UPDATE SET unreferenced_since = NULL
                """, arguments: [sha256, length, Timestamp.format(now)])
        let table = MaterialTable()
        guard var material = try loaded ?? table.load(db, recordId: materialId) else { return }
        try ServerWrites.update(table, id: materialId, &material, ["verified": .int(1)], now: now, db)
        if let claimId = material.record.fields["claimId"]?.stringValue {
            try ClaimIntake.process(db, claimId: claimId, now: now)
        }
    }

    /// Only the account that created an upload may see, resume or end it.
    public func upload(id: String, by principal: Principal, now: Date) async throws -> UploadLookup {
        try await database.read { db in try Self.lookup(db, id: id, accountId: principal.accountId, now: now) }
    }

    /// Takes the upload for one request by compare-and-set: free, or held by a lease that
    /// expired or belongs to an earlier run of the server.
    public func takeUpload(id: String, by principal: Principal, lease: UploadLease, now: Date) async throws
        -> UploadTake
    {
        try await database.writeBookkeeping { db in
            try db.execute(
                sql: """
                    UPDATE upload SET lease_token = ?, lease_until = ?
                    WHERE id = ? AND account_id = ? AND expires_at > ?
                      AND (lease_token IS NULL OR lease_until < ?
                           OR (lease_token NOT LIKE ? AND NOT EXISTS (
                               SELECT 1 FROM server_run r WHERE r.seen_at >= ? AND lease_token LIKE (r.run || ':%'))))
                    """,
                arguments: [
                    lease.token, Timestamp.format(now.addingTimeInterval(UploadLease.lifetime)), id,
                    principal.accountId, Timestamp.format(now), Timestamp.format(now), UploadLease.run + ":%",
                    Timestamp.format(now.addingTimeInterval(-InstanceHeartbeat.silence)),
                ])
            let taken = db.changesCount == 1
            switch try Self.lookup(db, id: id, accountId: principal.accountId, now: now) {
            case .found(let upload): return taken ? .taken(upload) : .busy
            case .expired: return .expired
            case .missing: return .missing
            }
        }
    }

    /// Keeps a lease while a long PATCH is still receiving; false when it was lost.
    public func renewUpload(id: String, lease: UploadLease, now: Date) async throws -> Bool {
        try await database.writeBookkeeping { db in
            try db.execute(
                sql: "UPDATE upload SET lease_until = ? WHERE id = ? AND lease_token = ?",
                arguments: [Timestamp.format(now.addingTimeInterval(UploadLease.lifetime)), id, lease.token])
            return db.changesCount == 1
        }
    }

    public func releaseUpload(id: String, lease: UploadLease) async throws {
        try await database.writeBookkeeping { db in
            try db.execute(
                sql: "UPDATE upload SET lease_token = NULL, lease_until = NULL WHERE id = ? AND lease_token = ?",
                arguments: [id, lease.token])
        }
    }

    /// Records durable bytes by compare-and-set from the offset the PATCH started at, under its
    /// lease; `completed` when these were the last bytes and the content is stored. Nil when
    /// the upload moved on without this request (nothing is recorded then).
    ///
    /// The last bytes are recorded without a sync of their own: `completeUpload` commits next,
    /// durably, before the PATCH is answered, and its sync carries this commit too. A power
    /// cut in between loses only the mark, the state a crash between storing the bytes and
    /// this commit leaves anyway: HEAD answers the old offset and the client sends the rest again.
    public func advanceUpload(
        id: String, lease: UploadLease, from: Int64, to offset: Int64, completed: Bool,
        now: Date
    ) async throws -> Date? {
        let expires = now.addingTimeInterval(Self.uploadLifetime)
        let advance: @Sendable (any SQLConnection) throws -> Date? = { db in
            try db.execute(
                sql: """
                    UPDATE upload SET "offset" = ?, completed = ?, expires_at = ?
                    WHERE id = ? AND lease_token = ? AND "offset" = ? AND completed = 0
                    """, arguments: [offset, completed, Timestamp.format(expires), id, lease.token, from])
            return db.changesCount == 1 ? expires : nil
        }
        return try await completed ? database.writeBookkeeping(advance) : database.write(advance)
    }

    /// The upload completed: the material counts now, and a submission waiting for it is
    /// accepted in the same transaction. Exactly this upload's row must go, still completed
    /// and still held by this request, and `contentIsStored` must hold inside the transaction
    /// (the content sweep removes files inside its own): anything else aborts.
    public func completeUpload(
        _ upload: UploadInfo, lease: UploadLease, now: Date,
        contentIsStored: @escaping @Sendable (any SQLConnection) throws -> Bool
    ) async throws {
        try await database.write { db in
            try db.execute(
                sql: "DELETE FROM upload WHERE id = ? AND lease_token = ? AND completed = 1",
                arguments: [upload.id, lease.token])
            guard db.changesCount == 1 else {
                throw ServerError.uploadBusy
            }
            guard try contentIsStored(db) else { throw DurableFile.failed }
            try Self.materialVerified(
                db, materialId: upload.materialId, sha256: upload.sha256, length: upload.length, now: now)
        }
    }

    /// Termination (or an upload whose whole file did not match): only under the request's lease.
    public func deleteUpload(id: String, lease: UploadLease) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM upload WHERE id = ? AND lease_token = ?", arguments: [id, lease.token])
            return db.changesCount == 1
        }
    }

    /// Removes expired uploads and answers their ids, so their part files can go too. Asked
    /// first on a reader: this runs before every upload's creation and most find none, which
    /// then cost no turn of the one writer (nor of a group commit).
    public func sweepExpiredUploads(now: Date) async throws -> [String] {
        let anyExpired = try await database.read { db in
            try db.fetchValue(
                Int.self, sql: "SELECT 1 FROM upload WHERE expires_at <= ? LIMIT 1", arguments: [Timestamp.format(now)])
                != nil
        }
        guard anyExpired else { return [] }
        return try await database.write { db in
            let ids = try db.fetchValues(
                String.self,
                sql: "SELECT id FROM upload WHERE expires_at <= ?", arguments: [Timestamp.format(now)])
            try db.execute(sql: "DELETE FROM upload WHERE expires_at <= ?", arguments: [Timestamp.format(now)])
            return ids
        }
    }

    /// This process is alive (`InstanceHeartbeat`), and `retiring` (an earlier run on the same
    /// address) is not; runs silent for a day are forgotten.
    public func heartbeat(run: String, now: Date, retiring: String?) async throws {
        try await database.write { db in
            if let retiring, retiring != run {
                try db.execute(sql: "DELETE FROM server_run WHERE run = ?", arguments: [retiring])
            }
            try db.execute(
                sql: """
                    INSERT INTO server_run (run, started_at, seen_at) VALUES (?, ?, ?)
                    ON CONFLICT (run) DO UPDATE SET seen_at = excluded.seen_at
                    """, arguments: [run, Timestamp.format(now), Timestamp.format(now)])
            try db.execute(
                sql: "DELETE FROM server_run WHERE seen_at < ?",
                arguments: [Timestamp.format(now.addingTimeInterval(-24 * 3600))])
        }
    }

    public func openUploadIds() async throws -> Set<String> {
        try await database.read { db in Set(try db.fetchValues(String.self, sql: "SELECT id FROM upload")) }
    }

    /// A stored material's content hash, if the principal may see its claim.
    public func readableMaterial(id: String, by principal: Principal) async throws -> (
        sha256: String, contentType: String
    )? {
        try await database.read { db in
            guard let material = try MaterialTable().load(db, recordId: id),
                material.record.fields["verified"] == .int(1)
            else { return nil }
            let visible: Bool
            switch principal.scope {
            case .member(let memberId): visible = material.memberId == memberId
            case .subtree: visible = !material.isPrivate && principal.scope.contains(orgPath: material.orgPath)
            }
            guard visible, let sha = material.record.fields["sha256"]?.stringValue,
                let type = material.record.fields["contentType"]?.stringValue
            else { return nil }
            return (sha, type)
        }
    }

    static func lookup(_ db: any SQLConnection, id: String, accountId: String, now: Date) throws -> UploadLookup {
        guard
            let row = try db.fetchOne(
                sql: "SELECT * FROM upload WHERE id = ? AND account_id = ?", arguments: [id, accountId]),
            let expires = Timestamp.parse(try row["expires_at"])
        else { return .missing }
        guard expires > now else { return .expired }
        return .found(
            UploadInfo(
                id: try row["id"], accountId: try row["account_id"], materialId: try row["material_id"],
                length: try row["length"], offset: try row["offset"], sha256: try row["sha256"], expiresAt: expires,
                completed: try row["completed"]))
    }
}

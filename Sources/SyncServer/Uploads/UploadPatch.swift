import Foundation
import Hummingbird
import MutualAidDomain

/// PATCH and the finishing step, one writer per upload: the request takes the upload's lease,
/// receives its body (`BodyTarget`) straight into the part past offset 0 on the file store, or
/// else into a file of its own that is appended to the part only after the checksum passed and
/// the chunk is synced, and records the new offset by compare-and-set from the one it started
/// at. With the last chunk the whole file is hashed (as that body arrives, continuing from the
/// part's recorded bytes; on the database store by reading the part), the upload recorded
/// completed, and only then is the part stored as content (a rename, no copy), so a crash in
/// between leaves a whole part for the next HEAD (`recoverContent`); the commit that verifies
/// the material follows. A body that is the whole file goes to the content store directly,
/// before the upload is recorded completed: its bytes were hashed as they arrived.
extension TusRoutes {
    func patch(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try Self.checkResumable(request)
        guard request.headers[.contentType] == "application/offset+octet-stream" else {
            throw ServerError(
                .unsupportedMediaType, "bad_content_type", "PATCH 的 Content-Type 应为 application/offset+octet-stream")
        }
        guard let offset = TusHeaderValues.integer(request.headers[.uploadOffset]) else {
            throw ServerError.badRequest("缺少 Upload-Offset，或其值不是非负整数", code: "bad_upload_offset")
        }
        let checksum = try ChunkChecksum.parse(request.headers[.uploadChecksum])
        let (end, expires) = try await withLease(request, context) { upload, lease in
            try await receiveBody(request, at: offset, checksum: checksum, upload: upload, lease: lease)
        }
        return Response(
            status: .noContent,
            headers: Self.tusHeaders([.uploadOffset: String(end), .uploadExpires: Self.httpDate(expires)]))
    }

    /// Takes the request's body at `offset` into the upload held under `lease`: the offset
    /// recorded, and with the last byte the material verified. Answers the new offset and expiry.
    func receiveBody(
        _ request: Request, at offset: Int64, checksum: ChunkChecksum?, upload: UploadInfo, lease: UploadLease
    ) async throws -> (end: Int64, expires: Date) {
        guard offset == upload.offset, !upload.completed else {
            throw ServerError(.conflict, "offset_mismatch", "Upload-Offset 与服务器已收到的字节数不符，请先用 HEAD 查询")
        }
        // A Content-Length short of the rest of the file says this body does not end it.
        let declared = request.headers[.contentLength].flatMap { Int64($0) }
        let endsFile = offset + (declared ?? upload.length - offset) == upload.length
        let target = try await BodyTarget.open(for: upload, at: offset, endsFile: endsFile, in: content)
        defer { target.close() }
        let received = try await PartWriter.receive(
            request.body, into: target.handle, direct: content.writesBodiesDirectly, limit: upload.length - offset,
            checksum: checksum, whole: target.whole
        ) {
            guard try await store.renewUpload(id: upload.id, lease: lease, now: Date()) else {
                throw ServerError.uploadBusy
            }
        }
        if target.staged != nil { target.closeHandle() }  // complete and synced
        let end = offset + received.length
        let last = end == upload.length
        let hashed = last ? received.sha256 : nil  // the whole file's, taken as the bytes arrived
        if let hashed, hashed != upload.sha256 { try await endMismatched(upload, lease: lease) }
        let whole = offset == 0 && hashed != nil
        if whole, let staged = target.staged {
            // Stored under its hash, which it was found to have: the same outcome whoever
            // stores it, so a request that outlived its lease may too (`advanceUpload`
            // then refuses it), and no lease check is spent on it.
            try await content.storeContent(fromWholeBody: staged, sha256: upload.sha256)
        } else {
            // Still ours right before the part is touched (a stalled request may have outlived its lease).
            guard try await store.renewUpload(id: upload.id, lease: lease, now: Date()) else {
                throw ServerError.uploadBusy
            }
            if let staged = target.staged { try await content.append(staged, toPart: upload.id, at: offset) }
            if last && hashed == nil { try await verifyPart(upload, lease: lease) }
        }
        guard
            let expires = try await store.advanceUpload(
                id: upload.id, lease: lease, from: offset, to: end,
                completed: last, now: Date())
        else {
            throw ServerError.uploadBusy  // the lease ran out: another request moved on
        }
        target.closeHandle()
        faults.reached(.afterUploadPatch)
        if last {
            if !whole {
                try await content.storeContent(fromVerifiedPart: upload.id, sha256: upload.sha256)
                faults.reached(.afterPartStored)
            }
            var done = upload
            done.offset = end
            done.completed = true
            try await finish(done, lease: lease)
        }
        return (end, expires)
    }

    /// Hashes the whole part: bytes that do not hash to the registered value end the upload.
    func verifyPart(_ upload: UploadInfo, lease: UploadLease) async throws {
        guard try await content.partMatches(upload.id, sha256: upload.sha256) else {
            try await endMismatched(upload, lease: lease)
        }
    }

    /// Ends an upload whose bytes are not the registered file: the client sends the material again.
    func endMismatched(_ upload: UploadInfo, lease: UploadLease) async throws -> Never {
        _ = try await store.deleteUpload(id: upload.id, lease: lease)
        try await content.removePart(upload.id)
        throw ServerError.fileChecksumMismatch
    }

    /// The content of a completed upload whose commit may not have happened (a HEAD after a
    /// crash): stored again from this upload's own part, hashed again, never taken from another
    /// file of the same hash. With no whole part (the file came in one body, or the part was
    /// stored already) the stored content itself must hash to the upload's value, or the upload
    /// ends (410) and the client sends the material again.
    func recoverContent(_ upload: UploadInfo, lease: UploadLease) async throws {
        if try await content.partLength(upload.id) == upload.length {
            try await verifyPart(upload, lease: lease)
            try await content.storeContent(fromVerifiedPart: upload.id, sha256: upload.sha256)
        } else if try await !content.contentMatches(upload.sha256) {
            throw PartWriter.lost  // `withLease` removes the upload and its part
        }
    }

    /// Verifies the material of a completed upload (after the last PATCH, or on HEAD after a
    /// crash, `recoverContent` first) and removes the part.
    func finish(_ upload: UploadInfo, lease: UploadLease) async throws {
        let content = self.content
        let sha = upload.sha256
        let length = upload.length
        for attempt in 1...2 {
            let held = try await content.holds(sha, bytes: length)
            if attempt == 2 || !held { try await recoverContent(upload, lease: lease) }
            do {
                try await store.completeUpload(upload, lease: lease, now: Date()) { db in
                    try content.holds(sha, bytes: length, in: db)
                }
                break
            } catch let error as ServerError where error.code == DurableFile.failed.code && attempt == 1 {
                continue  // the content sweep removed the file just now: store it again
            }
        }
        try await content.removePart(upload.id)
    }

    /// Runs `body` holding the upload's lease, released on every way out (also when the request
    /// is cancelled: the release runs in a task of its own). A part found lost ends the upload.
    func withLease<T: Sendable>(
        _ request: Request, _ context: AppRequestContext,
        _ body: (UploadInfo, UploadLease) async throws -> T
    ) async throws -> T {
        let principal = try context.requirePrincipal()
        guard let id = context.parameters.get("id") else { throw ServerError.uploadMissing }
        return try await withLease(id, principal, body)
    }

    func withLease<T: Sendable>(
        _ id: String, _ principal: Principal,
        _ body: (UploadInfo, UploadLease) async throws -> T
    ) async throws -> T {
        let lease = UploadLease()
        switch try await store.takeUpload(id: id, by: principal, lease: lease, now: Date()) {
        case .busy: throw ServerError.uploadBusy
        case .expired: throw ServerError.uploadExpired
        case .missing: throw ServerError.uploadMissing
        case .taken(let upload):
            let store = self.store
            let content = self.content
            do {
                let result = try await body(upload, lease)
                _ = await Task { try? await store.releaseUpload(id: id, lease: lease) }.value
                return result
            } catch {
                _ = await Task {
                    if (error as? ServerError)?.code == PartWriter.lost.code {
                        _ = try? await store.deleteUpload(id: id, lease: lease)
                        try? await content.removePart(id)
                    }
                    // Failing to release is not fatal: the lease runs out by itself.
                    try? await store.releaseUpload(id: id, lease: lease)
                }.value
                throw error
            }
        }
    }
}

/// Where a PATCH body is received. Past offset 0 the file store takes it straight into the
/// part, locked (each byte written once; a failed body is cut off again). A body from offset 0
/// (which may be the whole file, stored as content without becoming a part) and every body on
/// the database store go to a file of their own first.
private final class BodyTarget {
    let handle: FileHandle
    let staged: URL?
    let whole: WholeFileHash
    private var isOpen = true

    private init(handle: FileHandle, staged: URL?, whole: WholeFileHash) {
        self.handle = handle
        self.staged = staged
        self.whole = whole
    }

    /// A body that `endsFile` is hashed into the whole file's SHA-256 as it arrives: from its
    /// first byte at offset 0, else continuing from the part's recorded bytes (read once, before
    /// the body) when it goes straight into the part.
    static func open(
        for upload: UploadInfo, at offset: Int64, endsFile: Bool, in content: any BlobStore
    ) async throws -> BodyTarget {
        if offset > 0, let part = try await content.openPartForWriting(upload.id, at: offset) {
            // On a throw the part's handle is released, which closes it and frees the lock.
            let whole = endsFile ? WholeFileHash.continuing(try PartWriter.hashPrefix(of: part, upTo: offset)) : .none
            return BodyTarget(handle: part, staged: nil, whole: whole)
        }
        let staged = content.stagingURL(upload.id)
        return BodyTarget(
            handle: try DurableFile.createExclusive(staged, mode: 0o600), staged: staged,
            whole: offset == 0 && endsFile ? .fromStart : .none)
    }

    /// A file of its own once its body is synced; the part once its new offset is recorded (the
    /// lock held till then). Either way before the file can become stored content, so nothing
    /// keeps a writable handle to stored content.
    func closeHandle() {
        guard isOpen else { return }
        isOpen = false
        try? handle.close()
    }

    /// Closes the handle (releasing the part's lock) and removes a staged body; a leftover is
    /// removed at the next start.
    func close() {
        closeHandle()
        if let staged { try? DurableFile.remove(staged) }
    }
}

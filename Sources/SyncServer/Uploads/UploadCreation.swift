import Foundation
import Hummingbird
import MutualAidDomain

/// POST /v1/uploads: tus creation, and creation-with-upload (the first bytes in the creating
/// request, `Content-Type: application/offset+octet-stream`).
///
/// A body that is the whole file (its `Content-Length` is the `Upload-Length`, as for most
/// materials) never becomes an upload: it is received hashed, stored as content and the
/// material verified in one durable commit, with no upload row, no part, no lease. Nothing is
/// recorded until that commit, so a body cut off or killed half way costs only its resending.
/// The answer's `Location` names an upload that is already finished (HEAD there answers 404,
/// as after a last PATCH). Any other body is taken as a PATCH at offset 0 of the new upload.
extension TusRoutes {
    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try Self.checkResumable(request)
        guard let length = TusHeaderValues.integer(request.headers[.uploadLength]), length > 0 else {
            throw ServerError.badRequest("缺少 Upload-Length，或其值不是正整数", code: "bad_upload_length")
        }
        guard length <= Self.maxSize else {
            throw ServerError(.contentTooLarge, "file_too_large", "材料文件不能超过10MB")
        }
        let metadata = Self.metadata(request.headers[.uploadMetadata])
        guard let materialId = metadata["materialId"], let sha = metadata["sha256"]?.lowercased(), sha.utf8.count == 64,
            sha.allSatisfy(\.isHexDigit)
        else {
            throw ServerError.badRequest("Upload-Metadata 须包含 materialId 和 sha256", code: "bad_upload_metadata")
        }
        let declared = request.headers[.contentLength].flatMap { TusHeaderValues.integer($0) }
        let carriesBody = Self.carriesBody(request) && declared != 0
        let checksum = carriesBody ? try ChunkChecksum.parse(request.headers[.uploadChecksum]) : nil
        do {
            try await ContentMaintenance.sweep(store: store, content: content, grace: contentGrace, schedule: sweeps)
        } catch {
            // Housekeeping that failed must not stop uploads; it runs again with the next one.
            context.logger.error("upload sweep failed", metadata: ["error": "\(error)"])
        }
        if carriesBody && declared == length {
            try await receiveWholeFile(
                request, checksum: checksum, materialId: materialId, length: length, sha256: sha, by: principal)
            return Response(
                status: .created,
                headers: Self.tusHeaders([
                    .location: "/v1/uploads/\(UUID().uuidString.lowercased())", .uploadOffset: String(length),
                ]))
        }
        switch try await store.createUpload(
            materialId: materialId, length: length, sha256: sha, by: principal, now: Date())
        {
        case .failure(let error): throw error
        case .success(let upload):
            do {
                try await content.createPart(upload.id)
            } catch {
                // No part, no upload: it must not count against the material's open uploads.
                _ = try? await withLease(upload.id, principal) { upload, lease in
                    _ = try await store.deleteUpload(id: upload.id, lease: lease)
                }
                throw error
            }
            var offset: Int64 = 0
            var expires = upload.expiresAt
            if carriesBody {
                (offset, expires) = try await withLease(upload.id, principal) { upload, lease in
                    do {
                        return try await receiveBody(request, at: 0, checksum: checksum, upload: upload, lease: lease)
                    } catch {
                        // The client never learns this upload's address: it must not linger.
                        _ = try? await store.deleteUpload(id: upload.id, lease: lease)
                        try? await content.removePart(upload.id)
                        throw error
                    }
                }
            }
            return Response(
                status: .created,
                headers: Self.tusHeaders([
                    .location: "/v1/uploads/\(upload.id)", .uploadExpires: Self.httpDate(expires),
                    .uploadOffset: String(offset),
                ]))
        }
    }

    /// Bytes of the file come with the creation (tus creation-with-upload); any other body is ignored.
    static func carriesBody(_ request: Request) -> Bool {
        request.headers[.contentType] == "application/offset+octet-stream"
    }

    /// The whole file in the creating request: refused before a byte is read when the material
    /// may not take it, then received into a file of its own, hashed as it arrives, synced,
    /// stored as content, and the material verified.
    private func receiveWholeFile(
        _ request: Request, checksum: ChunkChecksum?, materialId: String, length: Int64, sha256: String,
        by principal: Principal
    ) async throws {
        if let refusal = try await store.uploadRefusal(
            materialId: materialId, length: length, sha256: sha256, by: principal)
        {
            throw refusal
        }
        let staged = content.stagingURL(UUID().uuidString.lowercased())
        let handle = try DurableFile.createExclusive(staged, mode: 0o600)
        defer {
            try? handle.close()
            try? DurableFile.remove(staged)  // still there when it was not moved into place
        }
        let received = try await PartWriter.receive(
            request.body, into: handle, direct: content.writesBodiesDirectly, limit: length, checksum: checksum,
            whole: .fromStart, keepAlive: {})
        try handle.close()
        guard received.length == length else {
            throw ServerError.badRequest("请求体比 Upload-Length 短，文件不完整，请重新上传", code: "incomplete_body")
        }
        guard received.sha256 == sha256 else { throw ServerError.fileChecksumMismatch }
        let content = self.content
        for attempt in 1...2 {
            // Again on the second attempt: the content sweep may have removed an old copy of
            // this content just now, which the first store kept instead of this body.
            try await content.storeContent(fromWholeBody: staged, sha256: sha256)
            faults.reached(.afterUploadPatch)
            do {
                if let refusal = try await store.verifyWholeFile(
                    materialId: materialId, length: length, sha256: sha256, by: principal, now: Date(),
                    contentIsStored: { db in try content.holds(sha256, bytes: length, in: db) })
                {
                    throw refusal
                }
                return
            } catch let error as ServerError where error.code == DurableFile.failed.code && attempt == 1 {
                continue
            }
        }
    }
}

import Crypto
import Foundation
import Hummingbird
import HTTPTypes
import MutualAidDomain
import NIOCore

/// Material uploads over tus 1.0.0 (core, creation, checksum with sha256, termination,
/// expiration), so standard tus clients work too:
/// OPTIONS/POST /v1/uploads, HEAD/PATCH/DELETE /v1/uploads/{id}; and GET /v1/materials/{id}.
struct TusRoutes {
    let store: any CaseStore
    let files: MaterialFiles
    let faults: FaultInjection

    static let version = "1.0.0"
    static let maxSize = 10 * 1024 * 1024

    func addPublic(to group: RouterGroup<AppRequestContext>) {
        group.on("uploads", method: .options) { _, _ in
            Response(status: .noContent, headers: Self.tusHeaders([
                .tusVersion: Self.version, .tusExtension: "creation,checksum,termination,expiration",
                .tusMaxSize: String(Self.maxSize), .tusChecksumAlgorithm: "sha256",
            ]))
        }
    }

    func addAuthenticated(to group: RouterGroup<AppRequestContext>) {
        group.post("uploads") { request, context in try await create(request, context) }
        group.head("uploads/:id") { request, context in
            let upload = try await find(request, context)
            // The last chunk was durable but the server died before verifying: finish now.
            if upload.offset == upload.length { try await finalize(upload) }
            return Response(status: .ok, headers: Self.tusHeaders([
                .uploadOffset: String(upload.offset), .uploadLength: String(upload.length),
                .cacheControl: "no-store", .uploadExpires: Self.httpDate(upload.expiresAt),
            ]))
        }
        group.patch("uploads/:id") { request, context in try await patch(request, context) }
        group.delete("uploads/:id") { request, context in
            let upload = try await find(request, context)
            try await store.deleteUpload(id: upload.id)
            try? FileManager.default.removeItem(at: files.partURL(upload.id))
            return Response(status: .noContent, headers: Self.tusHeaders([:]))
        }
        group.get("materials/:id") { request, context in
            let principal = try context.requirePrincipal()
            guard let id = context.parameters.get("id"),
                  let material = try await store.readableMaterial(id: id, by: principal),
                  let data = FileManager.default.contents(atPath: files.blobURL(material.sha256).path) else {
                throw ServerError(.notFound, "not_found", "材料不存在或无权查看")
            }
            return Response(status: .ok, headers: [.contentType: material.contentType, .cacheControl: "private, no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    private func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try Self.checkResumable(request)
        guard let lengthText = request.headers[.uploadLength], let length = Int64(lengthText), length > 0 else {
            throw ServerError.badRequest("缺少 Upload-Length，或其值不是正整数", code: "bad_upload_length")
        }
        guard length <= Self.maxSize else {
            throw ServerError(.contentTooLarge, "file_too_large", "材料文件不能超过10MB")
        }
        let metadata = Self.metadata(request.headers[.uploadMetadata])
        guard let materialId = metadata["materialId"], let sha = metadata["sha256"], sha.count == 64 else {
            throw ServerError.badRequest("Upload-Metadata 须包含 materialId 和 sha256", code: "bad_upload_metadata")
        }
        switch try await store.createUpload(materialId: materialId, length: length, sha256: sha.lowercased(), by: principal, now: Date()) {
        case .failure(let error): throw error
        case .success(let upload):
            FileManager.default.createFile(atPath: files.partURL(upload.id).path, contents: nil,
                                           attributes: [.posixPermissions: 0o600])
            return Response(status: .created, headers: Self.tusHeaders([
                .location: "/v1/uploads/\(upload.id)", .uploadExpires: Self.httpDate(upload.expiresAt), .uploadOffset: "0",
            ]))
        }
    }

    private func find(_ request: Request, _ context: AppRequestContext) async throws -> UploadInfo {
        let principal = try context.requirePrincipal()
        try Self.checkResumable(request)
        guard let id = context.parameters.get("id") else { throw ServerError.notFound }
        switch try await store.upload(id: id, by: principal, now: Date()) {
        case .found(let upload): return upload
        case .expired: throw ServerError(.gone, "upload_expired", "上传已过期，请重新上传该材料")
        case .missing: throw ServerError(.notFound, "not_found", "上传不存在或无权访问")
        }
    }

    private func patch(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var upload = try await find(request, context)
        guard request.headers[.contentType] == "application/offset+octet-stream" else {
            throw ServerError(.unsupportedMediaType, "bad_content_type", "PATCH 的 Content-Type 应为 application/offset+octet-stream")
        }
        guard let offsetText = request.headers[.uploadOffset], let offset = Int64(offsetText) else {
            throw ServerError.badRequest("缺少 Upload-Offset", code: "bad_upload_offset")
        }
        guard offset == upload.offset else {
            throw ServerError(.conflict, "offset_mismatch", "Upload-Offset 与服务器已收到的字节数不符，请先用 HEAD 查询")
        }
        let expected = try Self.chunkChecksum(request.headers[.uploadChecksum])
        let received = try await PartWriter.append(request.body, to: files.partURL(upload.id), at: offset,
                                                   limit: upload.length - offset)
        guard expected == nil || expected == received.sha256 else {
            try PartWriter.truncate(files.partURL(upload.id), to: offset)
            throw ServerError(HTTPResponse.Status(code: 460, reasonPhrase: "Checksum Mismatch"), "checksum_mismatch",
                              "数据块校验失败，已丢弃，请重新发送")
        }
        upload.offset = offset + received.bytes
        let expires = try await store.advanceUpload(id: upload.id, to: upload.offset, now: Date())
        faults.reached(.afterUploadPatch)
        // A chunk that was the whole file has just been hashed whole: no need to read it back.
        if upload.offset == upload.length { try await finalize(upload, knownHash: offset == 0 ? received.sha256 : nil) }
        return Response(status: .noContent, headers: Self.tusHeaders([
            .uploadOffset: String(upload.offset), .uploadExpires: Self.httpDate(expires),
        ]))
    }

    /// Verifies the whole file against the registered hash, stores it once per content and
    /// marks the material verified. Safe to repeat: a stored blob is kept, the row is upserted.
    private func finalize(_ upload: UploadInfo, knownHash: String? = nil) async throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: files.partURL(upload.id).path) {
            // Killed after moving the part into the store and before the commit: finish the commit.
            let blob = files.blobURL(upload.sha256)
            guard fm.fileExists(atPath: blob.path), try PartWriter.sha256(of: blob) == upload.sha256 else {
                try await store.deleteUpload(id: upload.id)
                throw ServerError(.gone, "upload_lost", "上传的数据已丢失，请重新上传该材料")
            }
            try await store.completeUpload(upload, now: Date())
            return
        }
        guard try knownHash ?? PartWriter.sha256(of: files.partURL(upload.id)) == upload.sha256 else {
            try await store.deleteUpload(id: upload.id)
            try? FileManager.default.removeItem(at: files.partURL(upload.id))
            throw ServerError(HTTPResponse.Status(code: 460, reasonPhrase: "Checksum Mismatch"), "file_checksum_mismatch",
                              "整个文件的校验值与登记的不符，请重新上传该材料")
        }
        try files.store(part: upload.id, sha256: upload.sha256)
        try await store.completeUpload(upload, now: Date())
    }

    static func checkResumable(_ request: Request) throws {
        guard request.headers[.tusResumable] == version else {
            var error = ServerError(.preconditionFailed, "tus_version", "只支持 tus 1.0.0（Tus-Resumable: 1.0.0）")
            error.headers[.tusVersion] = version
            throw error
        }
    }

    /// "sha256 <base64>" → hex digest; other algorithms are refused.
    static func chunkChecksum(_ header: String?) throws -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "sha256", let raw = Data(base64Encoded: String(parts[1])), raw.count == 32 else {
            throw ServerError.badRequest("Upload-Checksum 只支持 sha256（格式：sha256 <base64>）", code: "bad_checksum_algorithm")
        }
        return RecordDigest.hex(raw)
    }

    /// tus metadata: "key base64,key base64".
    static func metadata(_ header: String?) -> [String: String] {
        var result: [String: String] = [:]
        for pair in (header ?? "").split(separator: ",") {
            let kv = pair.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            guard let key = kv.first else { continue }
            result[String(key)] = kv.count == 2 ? Data(base64Encoded: String(kv[1])).map { String(decoding: $0, as: UTF8.self) } ?? "" : ""
        }
        return result
    }

    static func tusHeaders(_ extra: HTTPFields) -> HTTPFields {
        var headers = extra
        headers[.tusResumable] = version
        return headers
    }

    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

extension HTTPField.Name {
    static let tusResumable = Self("Tus-Resumable")!
    static let tusVersion = Self("Tus-Version")!
    static let tusExtension = Self("Tus-Extension")!
    static let tusMaxSize = Self("Tus-Max-Size")!
    static let tusChecksumAlgorithm = Self("Tus-Checksum-Algorithm")!
    static let uploadOffset = Self("Upload-Offset")!
    static let uploadLength = Self("Upload-Length")!
    static let uploadMetadata = Self("Upload-Metadata")!
    static let uploadExpires = Self("Upload-Expires")!
    static let uploadChecksum = Self("Upload-Checksum")!
}

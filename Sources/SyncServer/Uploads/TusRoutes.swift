import Foundation
import HTTPTypes
import Hummingbird
import MutualAidDomain
import NIOCore

/// Material uploads over tus 1.0.0 (core, creation, creation-with-upload, checksum with
/// sha1/sha256/md5, termination, expiration), so standard tus clients work too:
/// OPTIONS/POST /v1/uploads, HEAD/PATCH/DELETE /v1/uploads/{id}; and GET /v1/materials/{id}.
/// A PATCH, a finishing HEAD and a DELETE each take the upload (a lease in its row) and
/// answer 423 while another request holds it (UploadPatch.swift).
struct TusRoutes {
    let store: any CaseStore
    let content: any BlobStore
    let faults: FaultInjection
    /// How long unreferenced content stays before the sweep removes it.
    let contentGrace: TimeInterval
    let sweeps = SweepSchedule()

    static let version = "1.0.0"
    static let maxSize = MaterialLimits.maxBytes

    func addPublic(to group: RouterGroup<AppRequestContext>) {
        group.on("uploads", method: .options) { _, _ in
            Response(
                status: .noContent,
                headers: Self.tusHeaders([
                    .tusVersion: Self.version,
                    .tusExtension: "creation,creation-with-upload,checksum,termination,expiration",
                    .tusMaxSize: String(Self.maxSize), .tusChecksumAlgorithm: ChunkChecksum.announced,
                ]))
        }
    }

    func addAuthenticated(to group: RouterGroup<AppRequestContext>) {
        group.post("uploads") { request, context in try await create(request, context) }
        group.head("uploads/:id") { request, context in try await head(request, context) }
        group.patch("uploads/:id") { request, context in try await patch(request, context) }
        group.delete("uploads/:id") { request, context in
            try Self.checkResumable(request)
            try await withLease(request, context) { upload, lease in
                _ = try await store.deleteUpload(id: upload.id, lease: lease)
                try await content.removePart(upload.id)
            }
            return Response(status: .noContent, headers: Self.tusHeaders([:]))
        }
        group.get("materials/:id") { request, context in
            let principal = try context.requirePrincipal()
            guard let id = context.parameters.get("id"),
                let material = try await store.readableMaterial(id: id, by: principal)
            else {
                throw ServerError(.notFound, "not_found", "材料不存在或无权查看")
            }
            return try await ContentResponse.verified(material.sha256, from: content, logger: context.logger)
        }
    }

    /// The recorded offset. With the upload free, HEAD also cuts bytes a killed PATCH appended
    /// past it, and finishes an upload marked completed whose commit a crash interrupted.
    private func head(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try Self.checkResumable(request)
        guard let id = context.parameters.get("id") else { throw ServerError.notFound }
        var upload: UploadInfo
        do {
            upload = try await withLease(id, principal) { upload, lease in
                if upload.completed {
                    try await recoverContent(upload, lease: lease)
                    try await finish(upload, lease: lease)
                } else if upload.offset == upload.length {
                    // Every byte recorded by a server from before "completed" existed: complete it now.
                    try await content.cut(upload.id, to: upload.offset)
                    try await verifyPart(upload, lease: lease)
                    guard
                        try await store.advanceUpload(
                            id: upload.id, lease: lease, from: upload.length, to: upload.length,
                            completed: true, now: Date()) != nil
                    else { throw ServerError.uploadBusy }
                    try await content.storeContent(fromVerifiedPart: upload.id, sha256: upload.sha256)
                    var done = upload
                    done.completed = true
                    try await finish(done, lease: lease)
                } else {
                    try await content.cut(upload.id, to: upload.offset)
                }
                return upload
            }
        } catch let error as ServerError where error.code == ServerError.uploadBusy.code {
            // A PATCH is under way: its recorded offset is the truth; finishing waits for it.
            guard case .found(let current) = try await store.upload(id: id, by: principal, now: Date()),
                !current.completed
            else { throw error }
            upload = current
        }
        return Response(
            status: .ok,
            headers: Self.tusHeaders([
                .uploadOffset: String(upload.offset), .uploadLength: String(upload.length),
                .cacheControl: "no-store", .uploadExpires: Self.httpDate(upload.expiresAt),
            ]))
    }

    static func checkResumable(_ request: Request) throws {
        guard request.headers[.tusResumable] == version else {
            var error = ServerError(.preconditionFailed, "tus_version", "只支持 tus 1.0.0（Tus-Resumable: 1.0.0）")
            error.headers[.tusVersion] = version
            throw error
        }
    }

    /// tus metadata: "key base64,key base64".
    static func metadata(_ header: String?) -> [String: String] {
        var result: [String: String] = [:]
        for pair in (header ?? "").split(separator: ",") {
            let kv = pair.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            guard let key = kv.first else { continue }
            result[String(key)] =
                kv.count == 2
                ? Data(base64Encoded: String(kv[1])).map { String(decoding: $0, as: UTF8.self) } ?? "" : ""
        }
        return result
    }

    static func tusHeaders(_ extra: HTTPFields) -> HTTPFields {
        var headers = extra
        headers[.tusResumable] = version
        return headers
    }

    /// RFC 9110's IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), by day arithmetic: a
    /// `DateFormatter` per answer opened an ICU formatter each time (2 % of P5's server time).
    static func httpDate(_ date: Date) -> String {
        let (day, second) = UTCStamp.dayAndSecond(of: date)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((day.dayNumber % 7) + 7) % 7]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][day.month - 1]
        let two = UTCStamp.two
        return "\(weekday), \(two(day.day)) \(month) \(day.year) "
            + "\(two(second / 3600)):\(two(second % 3600 / 60)):\(two(second % 60)) GMT"
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

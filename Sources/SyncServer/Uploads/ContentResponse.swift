import Crypto
import Foundation
import Hummingbird
import Logging
import MutualAidDomain
import NIOCore

/// Serves stored content only after hashing it: content whose bytes no longer match its name
/// is logged and answered 500 without any of its bytes. The type is the server's own reading
/// of the first bytes. (Content is at most `TusRoutes.maxSize`, so it is read whole.)
enum ContentResponse {
    static let damaged = ServerError(.internalServerError, "content_damaged", "服务器上的文件已损坏，无法提供，已记录并通知管理员")

    static func verified(_ sha256: String, from content: any BlobStore, logger: Logger) async throws -> Response {
        guard let bytes = try await content.content(sha256) else {
            logger.error("stored content missing", metadata: ["sha256": "\(sha256)"])
            throw damaged
        }
        guard RecordDigest.hex(SHA256.hash(data: bytes)) == sha256 else {
            logger.error("stored content does not match its hash", metadata: ["sha256": "\(sha256)"])
            throw damaged
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: ContentSniffer.contentType(of: bytes.prefix(8)) ?? "application/octet-stream",
                .contentDisposition: "attachment", .xContentTypeOptions: "nosniff", .cacheControl: "private, no-store",
            ], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

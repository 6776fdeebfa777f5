import Crypto
import Foundation
import Hummingbird
import Logging
import MutualAidDomain
import NIOCore

/// Serves a file of the content store only after hashing it: a file whose bytes no longer
/// match its name is logged and answered 500 without any of its bytes. The bytes are then
/// streamed and hashed again; should they change in between, the connection is cut before
/// the body is complete. The type is the server's own reading of the first bytes.
enum ContentResponse {
    static let damaged = ServerError(.internalServerError, "content_damaged", "服务器上的文件已损坏，无法提供，已记录并通知管理员")

    static func verified(_ sha256: String, from content: ContentStore, logger: Logger) throws -> Response {
        let url = content.blobURL(sha256)
        guard let handle = DurableFile.openForReading(url) else {
            logger.error("stored content missing", metadata: ["sha256": "\(sha256)"])
            throw damaged
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var head = Data()
        var size = 0
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
            if head.count < 8 { head.append(piece.prefix(8 - head.count)) }
            hasher.update(data: piece)
            size += piece.count
        }
        guard RecordDigest.hex(hasher.finalize()) == sha256 else {
            logger.error("stored content does not match its hash", metadata: ["sha256": "\(sha256)"])
            throw damaged
        }
        let body = ResponseBody(contentLength: size) { writer in
            guard let again = DurableFile.openForReading(url) else { throw damaged }
            defer { try? again.close() }
            var hasher = SHA256()
            while let piece = try again.read(upToCount: 64 * 1024), !piece.isEmpty {
                hasher.update(data: piece)
                try await writer.write(ByteBuffer(bytes: piece))
            }
            guard RecordDigest.hex(hasher.finalize()) == sha256 else {
                logger.error("stored content changed while it was sent", metadata: ["sha256": "\(sha256)"])
                throw damaged
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: ContentSniffer.contentType(of: head) ?? "application/octet-stream",
                .contentDisposition: "attachment", .xContentTypeOptions: "nosniff", .cacheControl: "private, no-store",
            ], body: body)
    }
}

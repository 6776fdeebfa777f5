import Crypto
import Foundation
import Hummingbird
import MutualAidDomain

/// Writes a PATCH body into an upload's part file at an offset, hashing as it goes, and makes
/// it durable (fsync) before the offset is recorded. Bytes past the recorded offset from an
/// interrupted PATCH are overwritten by the next one.
enum PartWriter {
    struct Received { var bytes: Int64; var sha256: String }

    static func append(_ body: RequestBody, to url: URL, at offset: Int64, limit: Int64) async throws -> Received {
        guard let handle = FileHandle(forWritingAtPath: url.path) else {
            throw ServerError(.gone, "upload_expired", "上传已过期，请重新上传该材料")
        }
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(offset))
        try handle.seek(toOffset: UInt64(offset))
        var hasher = SHA256()
        var count: Int64 = 0
        for try await buffer in body {
            count += Int64(buffer.readableBytes)
            guard count <= limit else {
                try handle.truncate(atOffset: UInt64(offset))
                throw ServerError(.contentTooLarge, "chunk_too_large", "数据超出了文件的声明长度")
            }
            let data = Data(buffer.readableBytesView)
            hasher.update(data: data)
            try handle.write(contentsOf: data)
        }
        try handle.synchronize()
        return Received(bytes: count, sha256: RecordDigest.hex(hasher.finalize()))
    }

    static func truncate(_ url: URL, to offset: Int64) throws {
        guard let handle = FileHandle(forWritingAtPath: url.path) else { return }
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(offset))
        try handle.synchronize()
    }

    static func sha256(of url: URL) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw CocoaError(.fileNoSuchFile) }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return RecordDigest.hex(hasher.finalize())
    }
}

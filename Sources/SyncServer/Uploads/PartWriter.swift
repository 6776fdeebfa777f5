import Foundation
import Hummingbird
import MutualAidDomain
import NIOCore

/// A PATCH body goes to a new file of its own (created exclusively, 0600); only when it is
/// complete, its checksum passed and it is synced is it appended to the upload's part file.
/// The part is first cut back to the recorded offset: bytes appended by a PATCH that died
/// before recording its offset are dropped, never counted.
enum PartWriter {
    static let lost = ServerError(.gone, "upload_lost", "上传的数据已丢失，请重新上传该材料")

    /// Receives the body into `chunk` and answers its length. `keepAlive` runs now and then
    /// while bytes arrive (it renews the upload's lease).
    static func receive(
        _ body: RequestBody, into chunk: URL, limit: Int64, checksum: ChunkChecksum?,
        keepAlive: () async throws -> Void
    ) async throws -> Int64 {
        let handle = try DurableFile.createExclusive(chunk, mode: 0o600)
        defer { try? handle.close() }
        var hasher = checksum?.hasher()
        var count: Int64 = 0
        var lastRenewal = ContinuousClock.now
        for try await buffer in body {
            count += Int64(buffer.readableBytes)
            guard count <= limit else {
                throw ServerError(.contentTooLarge, "chunk_too_large", "数据超出了文件的声明长度")
            }
            let data = Data(buffer.readableBytesView)
            hasher?.update(data)
            try handle.write(contentsOf: data)
            if ContinuousClock.now - lastRenewal > .seconds(15) {
                try await keepAlive()
                lastRenewal = .now
            }
        }
        if let checksum, hasher?.finalize() != checksum.expected {
            throw ServerError(TusHeaderValues.checksumMismatch, "checksum_mismatch", "数据块校验失败，已丢弃，请重新发送")
        }
        try handle.synchronize()
        return count
    }

    /// Cuts the part back to `offset` (the recorded one) and appends `chunk` durably.
    static func append(_ chunk: URL, to part: URL, at offset: Int64) throws {
        let handle = try openPart(part, recorded: offset)
        defer { try? handle.close() }
        guard let input = DurableFile.openForReading(chunk) else { throw DurableFile.failed }
        defer { try? input.close() }
        try handle.seek(toOffset: UInt64(offset))
        try DurableFile.copy(input, to: handle)
        try handle.synchronize()
        try handle.close()
    }

    /// The first chunk (recorded offset 0) becomes the part by a rename instead of a copy: the
    /// same outcome as cutting the part to nothing and appending, with the bytes written once.
    static func replace(_ part: URL, with chunk: URL) throws {
        guard FileManager.default.fileExists(atPath: part.path) else { throw lost }
        try DurableFile.rename(chunk, to: part)
        try DurableFile.syncDirectory(part.deletingLastPathComponent())
    }

    /// Drops bytes past the recorded offset (left by a PATCH that died before recording them).
    static func cut(_ part: URL, to offset: Int64) throws {
        let handle = try openPart(part, recorded: offset)
        defer { try? handle.close() }
        try handle.synchronize()
        try handle.close()
    }

    private static func openPart(_ part: URL, recorded offset: Int64) throws -> FileHandle {
        let fd = open(part.path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw lost }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        // Fewer bytes than recorded: the part is damaged, the upload must start again.
        guard try handle.seekToEnd() >= UInt64(offset) else { throw lost }
        try handle.truncate(atOffset: UInt64(offset))
        return handle
    }
}

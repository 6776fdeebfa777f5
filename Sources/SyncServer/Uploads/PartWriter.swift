import Crypto
import Foundation
import Hummingbird
import MutualAidDomain
import NIOCore

/// A PATCH body in its own synced file: its length and, when asked for, the SHA-256 of its bytes.
struct ReceivedBody {
    let url: URL
    let length: Int64
    let sha256: String?
}

/// A PATCH body goes to a new file of its own (created exclusively, 0600); only when it is
/// complete, its checksum passed and it is synced is it appended to the upload's part file.
/// The part is first cut back to the recorded offset: bytes appended by a PATCH that died
/// before recording its offset are dropped, never counted.
enum PartWriter {
    static let lost = ServerError(.gone, "upload_lost", "上传的数据已丢失，请重新上传该材料")

    /// Receives the body into `chunk` and answers its length, with the SHA-256 of its bytes
    /// when `hashWhole` (a body from offset 0 may be the whole file: its hash, taken as the
    /// bytes arrive, spares reading the file again to verify it). `keepAlive` runs now and
    /// then while bytes arrive (it renews the upload's lease).
    static func receive(
        _ body: RequestBody, into chunk: URL, limit: Int64, checksum: ChunkChecksum?, hashWhole: Bool,
        keepAlive: () async throws -> Void
    ) async throws -> ReceivedBody {
        let handle = try DurableFile.createExclusive(chunk, mode: 0o600)
        defer { try? handle.close() }
        var hasher = checksum?.hasher()
        // The client's checksum is most often SHA-256 already: then one pass serves both.
        let separate = hashWhole && checksum?.algorithm != .sha256
        var whole = separate ? SHA256() : nil
        var pending = ByteBufferAllocator().buffer(capacity: Self.writeSize)
        var count: Int64 = 0
        var lastRenewal = ContinuousClock.now
        for try await buffer in body {
            count += Int64(buffer.readableBytes)
            guard count <= limit else {
                throw ServerError(.contentTooLarge, "chunk_too_large", "数据超出了文件的声明长度")
            }
            buffer.withUnsafeReadableBytes { bytes in
                hasher?.update(bytes)
                whole?.update(bufferPointer: bytes)
            }
            // Few, large writes: NIO hands the body over in pieces of a TLS record or so.
            if pending.readableBytes + buffer.readableBytes > Self.writeSize {
                try DurableFile.write(pending, to: handle)
                pending.clear()
            }
            if buffer.readableBytes >= Self.writeSize {
                try DurableFile.write(buffer, to: handle)
            } else {
                pending.writeImmutableBuffer(buffer)
            }
            if ContinuousClock.now - lastRenewal > .seconds(15) {
                try await keepAlive()
                lastRenewal = .now
            }
        }
        try DurableFile.write(pending, to: handle)
        let digest = hasher?.finalize()
        if let checksum, digest != checksum.expected {
            throw ServerError(TusHeaderValues.checksumMismatch, "checksum_mismatch", "数据块校验失败，已丢弃，请重新发送")
        }
        try handle.synchronize()
        let sha256 = separate ? whole.map { Data($0.finalize()) } : hashWhole ? digest : nil
        return ReceivedBody(url: chunk, length: count, sha256: sha256.map(RecordDigest.hex))
    }

    static let writeSize = 256 << 10

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

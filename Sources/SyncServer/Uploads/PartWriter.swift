import Crypto
import Foundation
import Hummingbird
import MutualAidDomain
import NIOCore

/// A synced PATCH body: its length and, when asked for, the SHA-256 of its bytes.
struct ReceivedBody {
    let length: Int64
    let sha256: String?
}

/// Whether a PATCH body may end the file and so be hashed, as it arrives, into the whole file's
/// SHA-256: from its first byte (a body from offset 0), or continuing the hash of the part
/// before it (the last body written into the part).
enum WholeFileHash {
    case none
    case fromStart
    case continuing(SHA256)
}

/// A PATCH body goes either straight into the upload's part at the recorded offset (the file
/// store, past offset 0: the part locked, so one request writes it at a time) or to a new file
/// of its own (created exclusively, 0600) that is appended to the part only when it is
/// complete, its checksum passed and it is synced. Either way the part is first cut back to
/// the recorded offset: bytes written by a PATCH that died or failed before recording its
/// offset are dropped, never counted.
enum PartWriter {
    static let lost = ServerError(.gone, "upload_lost", "上传的数据已丢失，请重新上传该材料")

    /// Receives the body at `handle`'s position, syncs it and answers its length, with the
    /// SHA-256 of the whole file when `whole` asks for it (taken as the bytes arrive, it spares
    /// reading the file again to verify it). `keepAlive` runs now and then while bytes arrive
    /// (it renews the upload's lease).
    static func receive(
        _ body: RequestBody, into handle: FileHandle, direct: Bool, limit: Int64, checksum: ChunkChecksum?,
        whole: WholeFileHash, keepAlive: () async throws -> Void
    ) async throws -> ReceivedBody {
        var hasher = checksum?.hasher()
        // From offset 0 the client's checksum is most often SHA-256 already: one pass serves both.
        let shared: Bool
        var wholeHasher: SHA256?
        switch whole {
        case .none: (shared, wholeHasher) = (false, nil)
        case .fromStart: (shared, wholeHasher) = checksum?.algorithm == .sha256 ? (true, nil) : (false, SHA256())
        case .continuing(let prefix): (shared, wholeHasher) = (false, prefix)
        }
        let writer = BodyFileWriter(handle, direct: direct)
        var count: Int64 = 0
        var lastRenewal = ContinuousClock.now
        for try await buffer in body {
            count += Int64(buffer.readableBytes)
            guard count <= limit else {
                throw ServerError(.contentTooLarge, "chunk_too_large", "数据超出了文件的声明长度")
            }
            try buffer.withUnsafeReadableBytes { bytes in
                hasher?.update(bytes)
                wholeHasher?.update(bufferPointer: bytes)
                try writer.append(bytes)
            }
            if ContinuousClock.now - lastRenewal > .seconds(15) {
                try await keepAlive()
                lastRenewal = .now
            }
        }
        try writer.finish()
        let digest = hasher?.finalize()
        if let checksum, digest != checksum.expected {
            throw ServerError(TusHeaderValues.checksumMismatch, "checksum_mismatch", "数据块校验失败，已丢弃，请重新发送")
        }
        try await DurableFile.offThread { try handle.synchronize() }
        let sha256 = shared ? digest : wholeHasher.map { Data($0.finalize()) }
        return ReceivedBody(length: count, sha256: sha256.map(RecordDigest.hex))
    }

    /// The SHA-256 state after the part's first `offset` bytes (those recorded), for a last
    /// body to continue; the handle is left at `offset`.
    static func hashPrefix(of handle: FileHandle, upTo offset: Int64) throws -> SHA256 {
        try handle.seek(toOffset: 0)
        let prefix = try ContentStore.hashing(handle, upTo: offset)
        guard prefix.bytes == offset else { throw lost }
        try handle.seek(toOffset: UInt64(offset))
        return prefix.hasher
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

    /// The part cut back to the recorded offset and positioned there, for a body to be written
    /// straight in; locked until the handle is closed.
    static func openForWriting(_ part: URL, at offset: Int64) throws -> FileHandle {
        let handle = try openPart(part, recorded: offset)
        try handle.seek(toOffset: UInt64(offset))
        return handle
    }

    /// Opens the part under an exclusive lock (held until the handle closes) and cuts it to the
    /// recorded offset. The lock keeps a request that outlived its lease (stalled while its body
    /// trickled in) from writing into the part while the next one does: the next one answers 423
    /// until the stalled one has ended.
    private static func openPart(_ part: URL, recorded offset: Int64) throws -> FileHandle {
        let fd = open(part.path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)  // read: `hashPrefix`
        guard fd >= 0 else { throw lost }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            throw errno == EWOULDBLOCK ? ServerError.uploadBusy : DurableFile.failed
        }
        // Fewer bytes than recorded: the part is damaged, the upload must start again.
        guard try handle.seekToEnd() >= UInt64(offset) else { throw lost }
        try handle.truncate(atOffset: UInt64(offset))
        return handle
    }
}

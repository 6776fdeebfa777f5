import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a PATCH body at a file's position in few, large writes. Where `direct` is asked for
/// and the position is block-aligned, full pieces go with `O_DIRECT` from one aligned buffer:
/// the bytes go from that buffer to the disk instead of first being copied into fresh
/// page-cache pages, which took about a fifth of the server's time in 200 devices' submissions
/// (written and synced 300 × 1 MB here: 0.1 CPU-s instead of 0.5–0.8). A tail shorter than a
/// block, and every piece where the file system refuses direct writes, goes through the page
/// cache as before. The caller syncs the file either way: direct writes are not durable alone.
final class BodyFileWriter {
    /// Direct writes need address, length and file position aligned to the device's logical
    /// block (512 bytes here, 4096 on some disks): 4096 serves both.
    static let alignment = 4096
    /// Few, large writes: NIO hands a body over in pieces of a TLS record or so.
    static let bufferSize = 256 << 10

    private let fd: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private var filled = 0
    private var direct: Bool

    init(_ handle: FileHandle, direct wanted: Bool) {
        fd = handle.fileDescriptor
        buffer = .allocate(byteCount: Self.bufferSize, alignment: Self.alignment)
        let position = lseek(fd, 0, SEEK_CUR)
        direct = wanted && position >= 0 && position % Self.alignment == 0 && Self.setDirect(fd, true)
    }

    deinit {
        if direct { _ = Self.setDirect(fd, false) }
        buffer.deallocate()
    }

    /// Whether full pieces are going straight to the disk (for tests).
    var writesDirect: Bool { direct }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = min(bytes.count - done, buffer.count - filled)
            (buffer.baseAddress! + filled).copyMemory(from: bytes.baseAddress! + done, byteCount: n)
            filled += n
            done += n
            if filled == buffer.count {
                try write(0..<filled)
                filled = 0
            }
        }
    }

    /// Writes what is buffered: its whole blocks directly, the rest through the page cache
    /// (which direct writes cannot take), and leaves the descriptor as it found it.
    func finish() throws {
        let blocks = direct ? filled / Self.alignment * Self.alignment : 0
        if blocks > 0 { try write(0..<blocks) }
        if direct {
            direct = false
            guard Self.setDirect(fd, false) else { throw DurableFile.failed }
        }
        try write(blocks..<filled)
        filled = 0
    }

    private func write(_ range: Range<Int>) throws {
        var done = range.lowerBound
        while done < range.upperBound {
            let n = Glibc.write(fd, buffer.baseAddress! + done, range.upperBound - done)
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EINVAL && direct {
                // Refused as a direct write (a file system with larger blocks): the page cache
                // takes this and the rest.
                direct = false
                guard Self.setDirect(fd, false) else { throw DurableFile.failed }
                continue
            }
            guard n > 0 else { throw DurableFile.failed }
            done += n
        }
    }

    /// Glibc's module leaves `O_DIRECT` out (it is a GNU extension); its value per architecture.
    #if arch(x86_64) || arch(i386)
        static let oDirect: Int32 = 0o40000
    #elseif arch(arm64) || arch(arm)
        static let oDirect: Int32 = 0o200000
    #else
        static let oDirect: Int32 = 0  // not known here: never direct
    #endif

    private static func setDirect(_ fd: Int32, _ on: Bool) -> Bool {
        guard oDirect != 0 else { return !on }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0 else { return false }
        return fcntl(fd, F_SETFL, on ? flags | oDirect : flags & ~oDirect) == 0
    }
}

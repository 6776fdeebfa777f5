import Foundation
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// The few POSIX steps the content store and the upload parts rely on, each one checked:
/// a file created exclusively with its mode set at creation, and a folder synced after a rename.
enum DurableFile {
    static let failed = ServerError(.internalServerError, "storage_failed", "服务器保存文件失败，请稍后重试")

    /// Runs steps that wait for the disk (an fsync takes milliseconds) on threads of their own.
    /// Request handlers run on Swift's shared threads, one per core: a sync there left a core
    /// idle while other requests waited (12–15 % idle in 200 devices' submissions).
    static func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await diskThreads.runIfActive(body)
    }

    /// Enough for the syncs of many uploads at once: they wait, they do not compute.
    private static let diskThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()

    /// A new file that did not exist before (O_EXCL: never someone else's file, never a link).
    static func createExclusive(_ url: URL, mode: mode_t) throws -> FileHandle {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw failed }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// An existing file opened for reading only.
    static func openForReading(_ url: URL) -> FileHandle? {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        return fd >= 0 ? FileHandle(fileDescriptor: fd, closeOnDealloc: true) : nil
    }

    /// Makes a rename or an unlink in `directory` durable.
    static func syncDirectory(_ directory: URL) throws {
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failed }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failed }
    }

    static func rename(_ from: URL, to: URL) throws {
        guard Glibc.rename(from.path, to.path) == 0 else { throw failed }
    }

    /// Copies `source` to `handle`'s position in 1 MB pieces.
    static func copy(_ source: FileHandle, to handle: FileHandle) throws {
        while let piece = try source.read(upToCount: 1 << 20), !piece.isEmpty {
            try handle.write(contentsOf: piece)
        }
    }

    /// Removes a file if it is there; any other failure is an error.
    static func remove(_ url: URL) throws {
        guard unlink(url.path) == 0 || errno == ENOENT else { throw failed }
    }
}

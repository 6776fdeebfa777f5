import Crypto
import Foundation
import MutualAidDomain
import Synchronization

/// Upload parts and stored content under the data folder: `uploads/<id>.part` (and each PATCH's
/// own `uploads/<id>.<run>.<random>.chunk`), and, once per SHA-256, `materials/<ab>/<sha256>`.
/// A stored file is written once under a temporary name (or is a synced part or PATCH body that
/// held the whole file), hashed, synced, made read-only (0400) and renamed into place; nothing
/// opens it for writing again.
public struct ContentStore: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    var uploadsFolder: URL { root.appendingPathComponent("uploads") }
    var contentFolder: URL { root.appendingPathComponent("materials") }

    func partURL(_ uploadId: String) -> URL { uploadsFolder.appendingPathComponent("\(uploadId).part") }

    func chunkURL(_ uploadId: String) -> URL {
        uploadsFolder.appendingPathComponent("\(uploadId).\(UploadLease.run).\(UUID().uuidString.lowercased()).chunk")
    }

    func blobURL(_ sha256: String) -> URL {
        contentFolder.appendingPathComponent("\(sha256.prefix(2))/\(sha256)")
    }

    func prepare() throws {
        for dir in [uploadsFolder, contentFolder] {
            try FileManager.default.createDirectory(
                at: dir, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
    }

    /// A new, empty part file for an upload.
    func createPart(_ uploadId: String) throws {
        let handle = try DurableFile.createExclusive(partURL(uploadId), mode: 0o600)
        try handle.synchronize()
        try handle.close()
        try DurableFile.syncDirectory(uploadsFolder)
    }

    /// Stores a synced file that holds the whole content, its bytes already hashed to `sha256`
    /// (a body as it was received, a part after its last chunk), by renaming it into place (made
    /// read-only first): no copy, no second read. With that content already stored (and whole)
    /// the file stays where it is.
    func store(moving file: URL, sha256: String) throws {
        let target = blobURL(sha256)
        if try hash(of: target) == sha256 { return }
        let folder = try durableFolder(of: target)
        // A mode lost in a crash is set again at the next start (`startMaintenance`).
        guard chmod(file.path, 0o400) == 0 else { throw DurableFile.failed }
        try DurableFile.rename(file, to: target)
        try DurableFile.syncDirectory(folder)
    }

    /// The content file's folder (`materials/<ab>`), made if need be, its entry in `materials`
    /// synced once per process: syncing it with every stored file cost a second directory fsync
    /// per material, although after the first 256 files each folder is nearly always there.
    private func durableFolder(of target: URL) throws -> URL {
        let folder = target.deletingLastPathComponent()
        guard !Self.durableFolders.withLock({ $0.contains(folder.path) }) else { return folder }
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try DurableFile.syncDirectory(contentFolder)
        Self.durableFolders.withLock { _ = $0.insert(folder.path) }
        return folder
    }

    /// Content folders whose entry this process has synced (made by it or found there).
    private static let durableFolders = Mutex<Set<String>>([])

    /// Stores bytes already in memory (a certificate photo).
    func store(data: Data, sha256: String) throws -> Bool {
        try store(sha256: sha256) { output, hasher in
            hasher.update(data: data)
            try output.write(contentsOf: data)
        }
    }

    /// Writes a new read-only file through `write`, then keeps it if the hash matches. An
    /// existing file of that hash is trusted only after its own bytes were hashed again; a
    /// damaged one is replaced by the new file.
    private func store(sha256: String, _ write: (FileHandle, inout SHA256) throws -> Void) throws -> Bool {
        let target = blobURL(sha256)
        let folder = try durableFolder(of: target)
        let temporary = folder.appendingPathComponent(".\(UploadLease.run).\(UUID().uuidString.lowercased()).tmp")
        let output = try DurableFile.createExclusive(temporary, mode: 0o400)
        var hasher = SHA256()
        do {
            try write(output, &hasher)
            guard RecordDigest.hex(hasher.finalize()) == sha256 else {
                try? output.close()
                try DurableFile.remove(temporary)
                return false
            }
            try output.synchronize()
            try output.close()
        } catch {
            try? output.close()
            try? DurableFile.remove(temporary)
            throw error
        }
        if try hash(of: target) == sha256 {
            try DurableFile.remove(temporary)
            return true
        }
        try DurableFile.rename(temporary, to: target)
        try DurableFile.syncDirectory(folder)
        return true
    }

    /// The SHA-256 of a stored file, or nil when there is none.
    func hash(of url: URL) throws -> String? {
        guard let handle = DurableFile.openForReading(url) else { return nil }
        defer { try? handle.close() }
        return RecordDigest.hex(try Self.hashing(handle).hasher.finalize())
    }

    /// Hashes what `handle` reads from its position, up to `limit` bytes, in 1 MB pieces (never
    /// the whole file in memory); answers the hash state and how many bytes it took in.
    static func hashing(_ handle: FileHandle, upTo limit: Int64 = .max) throws -> (hasher: SHA256, bytes: Int64) {
        var hasher = SHA256()
        var bytes: Int64 = 0
        while bytes < limit, let piece = try handle.read(upToCount: Int(min(limit - bytes, 1 << 20))), !piece.isEmpty {
            hasher.update(data: piece)
            bytes += Int64(piece.count)
        }
        return (hasher, bytes)
    }

    /// True when the stored file of `sha256` is there and its bytes still hash to it.
    /// A cheap check inside a transaction that the stored file is (still) there, whole.
    func holds(_ sha256: String, bytes: Int64) -> Bool {
        let attributes = try? FileManager.default.attributesOfItem(atPath: blobURL(sha256).path)
        return (attributes?[.size] as? NSNumber)?.int64Value == bytes
    }

    /// Removes content nothing refers to any more.
    func remove(_ sha256: String) throws {
        let url = blobURL(sha256)
        try DurableFile.remove(url)
        if FileManager.default.fileExists(atPath: url.deletingLastPathComponent().path) {
            try DurableFile.syncDirectory(url.deletingLastPathComponent())
        }
    }
}

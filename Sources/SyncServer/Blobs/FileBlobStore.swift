import Foundation
import SyncStorage

/// Parts and content as files under the data folder (`ContentStore`): each stored file written
/// once, synced, read-only.
struct FileBlobStore: BlobStore {
    let files: ContentStore

    init(root: URL) { files = ContentStore(root: root) }

    func prepare() throws { try files.prepare() }

    func stagingURL(_ uploadId: String) -> URL { files.chunkURL(uploadId) }

    /// On unless `SYNC_DIRECT_UPLOADS=off` (for a file system that mishandles direct writes,
    /// and to compare both in one benchmark run).
    var writesBodiesDirectly: Bool { Self.direct }
    private static let direct = ProcessInfo.processInfo.environment["SYNC_DIRECT_UPLOADS"] != "off"

    func openPartForWriting(_ uploadId: String, at offset: Int64) async throws -> FileHandle? {
        try PartWriter.openForWriting(files.partURL(uploadId), at: offset)
    }

    // Steps that sync files run off Swift's shared threads (`DurableFile.offThread`).
    func createPart(_ uploadId: String) async throws {
        let files = self.files
        try await DurableFile.offThread { try files.createPart(uploadId) }
    }

    func partLength(_ uploadId: String) async throws -> Int64? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: files.partURL(uploadId).path)
        return (attributes?[.size] as? NSNumber)?.int64Value
    }

    func append(_ chunk: URL, toPart uploadId: String, at offset: Int64) async throws {
        let part = files.partURL(uploadId)
        try await DurableFile.offThread {
            if offset == 0 {
                try PartWriter.replace(part, with: chunk)
            } else {
                try PartWriter.append(chunk, to: part, at: offset)
            }
        }
    }

    func cut(_ uploadId: String, to offset: Int64) async throws {
        let part = files.partURL(uploadId)
        try await DurableFile.offThread { try PartWriter.cut(part, to: offset) }
    }

    func removePart(_ uploadId: String) async throws { try DurableFile.remove(files.partURL(uploadId)) }

    func partMatches(_ uploadId: String, sha256: String) async throws -> Bool {
        guard let hash = try files.hash(of: files.partURL(uploadId)) else { throw PartWriter.lost }
        return hash == sha256
    }

    func storeContent(fromVerifiedPart uploadId: String, sha256: String) async throws {
        try await store(moving: files.partURL(uploadId), sha256: sha256)
    }

    func storeContent(fromWholeBody body: URL, sha256: String) async throws {
        try await store(moving: body, sha256: sha256)
    }

    private func store(moving file: URL, sha256: String) async throws {
        let files = self.files
        try await DurableFile.offThread { try files.store(moving: file, sha256: sha256) }
    }

    func store(_ data: Data, sha256: String, in db: any SQLConnection) throws -> Bool {
        try files.store(data: data, sha256: sha256)
    }

    func holds(_ sha256: String, bytes: Int64, in db: any SQLConnection) throws -> Bool {
        files.holds(sha256, bytes: bytes)
    }

    func holds(_ sha256: String, bytes: Int64) async throws -> Bool { files.holds(sha256, bytes: bytes) }

    func remove(_ sha256: String, in db: any SQLConnection) throws { try files.remove(sha256) }

    func content(_ sha256: String) async throws -> Data? {
        guard let handle = DurableFile.openForReading(files.blobURL(sha256)) else { return nil }
        defer { try? handle.close() }
        return try handle.readToEnd() ?? Data()
    }

    func contentMatches(_ sha256: String) async throws -> Bool {
        try files.hash(of: files.blobURL(sha256)) == sha256  // read in pieces, not whole into memory
    }

    func startMaintenance(openUploads: @Sendable () async throws -> Set<String>) async throws -> [String] {
        let fm = FileManager.default
        let listed = try fm.contentsOfDirectory(atPath: files.uploadsFolder.path)
        let open = try await openUploads()
        for file in listed {
            let id = file.split(separator: ".").first.map(String.init) ?? ""
            let leftover = file.hasSuffix(".chunk") ? !file.contains(".\(UploadLease.run).") : !open.contains(id)
            if leftover { try DurableFile.remove(files.uploadsFolder.appendingPathComponent(file)) }
        }
        var stored: [String] = []
        for folder in try fm.contentsOfDirectory(atPath: files.contentFolder.path) {
            let dir = files.contentFolder.appendingPathComponent(folder)
            for file in (try? fm.contentsOfDirectory(atPath: dir.path)) ?? [] {
                if file.hasSuffix(".tmp") {
                    // A store a killed server left half done.
                    if !file.hasPrefix(".\(UploadLease.run).") {
                        try DurableFile.remove(dir.appendingPathComponent(file))
                    }
                } else {
                    stored.append(file)
                    // Content stored by a server from before 0006 was left writable.
                    let path = dir.appendingPathComponent(file).path
                    if (try fm.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue != 0o400 {
                        try fm.setAttributes([.posixPermissions: 0o400], ofItemAtPath: path)
                    }
                }
            }
        }
        return stored
    }
}

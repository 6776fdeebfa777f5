import Foundation
import SyncStorage
import TestSupport

@testable import SyncServer

/// What the upload and content tests look at and break behind the server's back, on either
/// blob store: files under the data folder (SQLite runs) or rows of the database (PostgreSQL).
enum BlobFixtures {
    static func uploadId(_ location: String) -> String { String(location.split(separator: "/").last!) }

    static func content(_ server: TestServer, _ sha: String) async throws -> Data? {
        try await server.blobs.content(sha)
    }

    static func hasContent(_ server: TestServer, _ sha: String) async throws -> Bool {
        try await content(server, sha) != nil
    }

    static func hasPart(_ server: TestServer, _ location: String) async throws -> Bool {
        try await server.blobs.hasPart(uploadId(location))
    }

    /// Bytes in the part (nil when there is none).
    static func partLength(_ server: TestServer, _ location: String) async throws -> Int? {
        let id = uploadId(location)
        if let files = server.blobs as? FileBlobStore {
            let attributes = try? FileManager.default.attributesOfItem(atPath: files.files.partURL(id).path)
            return (attributes?[.size] as? NSNumber)?.intValue
        }
        return try await server.store.database.read { db in try DatabaseBlobStore.partLength(db, id).map(Int.init) }
    }

    /// Takes the part's write lock as a PATCH writing into it holds it (nil on the database
    /// store, whose parts are rows); held until the handle is closed.
    static func lockPart(_ server: TestServer, _ location: String) throws -> FileHandle? {
        guard let files = server.blobs as? FileBlobStore else { return nil }
        let handle = try FileHandle(forWritingTo: files.files.partURL(uploadId(location)))
        guard flock(handle.fileDescriptor, LOCK_EX | LOCK_NB) == 0 else { throw SupportError("the part is locked") }
        return handle
    }

    /// Appends to the part as a PATCH does, without recording an offset (what a killed PATCH leaves).
    static func appendToPart(_ server: TestServer, _ location: String, _ data: Data) async throws {
        let id = uploadId(location)
        if let files = server.blobs as? FileBlobStore {
            let handle = try FileHandle(forWritingTo: files.files.partURL(id))
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
            try handle.close()
            return
        }
        try await server.store.database.write { db in
            let end = try DatabaseBlobStore.partLength(db, id) ?? 0
            try db.execute(
                sql: "INSERT INTO upload_part_chunk (upload_id, start_offset, bytes) VALUES (?, ?, ?)",
                arguments: [id, end, data])
        }
    }

    /// Replaces stored content with other bytes under the same name, as a damaged disk or an
    /// intruder would.
    static func tamper(_ server: TestServer, _ sha: String, with data: Data) async throws {
        if let files = server.blobs as? FileBlobStore {
            let url = files.files.blobURL(sha)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            try data.write(to: url)
            return
        }
        try await server.store.database.write { db in
            try db.execute(sql: "DELETE FROM content_chunk WHERE sha256 = ?", arguments: [sha])
            try db.execute(
                sql: "INSERT INTO content_chunk (sha256, idx, bytes) VALUES (?, 0, ?)", arguments: [sha, data])
        }
    }

    static func removeContent(_ server: TestServer, _ sha: String) async throws {
        let blobs = server.blobs
        try await server.store.database.write { db in try blobs.remove(sha, in: db) }
    }

    /// The permissions of a stored file (nil on the database store, which has no files).
    static func fileMode(_ server: TestServer, _ sha: String) throws -> Int? {
        guard let files = server.blobs as? FileBlobStore else { return nil }
        let attributes = try FileManager.default.attributesOfItem(atPath: files.files.blobURL(sha).path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue
    }

    static func setFileMode(_ server: TestServer, _ sha: String, _ mode: Int) throws {
        guard let files = server.blobs as? FileBlobStore else { return }
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: files.files.blobURL(sha).path)
    }

    /// Leaves what a killed server leaves (a part without an upload, a received body of an
    /// earlier run, content without a row, a half-done store); answers, per leftover, whether
    /// it is still there.
    static func plantLeftovers(_ server: TestServer) async throws -> [(name: String, present: () async throws -> Bool)]
    {
        let fm = FileManager.default
        let orphanSha = String(repeating: "ab", count: 32)
        let strayId = UUID().uuidString.lowercased()
        if let files = server.blobs as? FileBlobStore {
            let uploads = files.files.uploadsFolder
            let strayPart = uploads.appendingPathComponent("\(strayId).part")
            let oldChunk = uploads.appendingPathComponent("x.an-earlier-run.y.chunk")
            let orphan = files.files.blobURL(orphanSha)
            let halfStored = orphan.deletingLastPathComponent().appendingPathComponent(".an-earlier-run.z.tmp")
            try fm.createDirectory(at: orphan.deletingLastPathComponent(), withIntermediateDirectories: true)
            for file in [strayPart, oldChunk, orphan, halfStored] {
                guard fm.createFile(atPath: file.path, contents: Data("x".utf8)) else { throw TestStoreError("plant") }
            }
            return [strayPart, oldChunk, orphan, halfStored].map { file in
                (file.lastPathComponent, { fm.fileExists(atPath: file.path) })
            }
        }
        guard let database = server.blobs as? DatabaseBlobStore else { throw TestStoreError("unknown blob store") }
        let earlierRun = database.staging.deletingLastPathComponent().appendingPathComponent("an-earlier-run")
        try fm.createDirectory(at: earlierRun, withIntermediateDirectories: true)
        let oldChunk = earlierRun.appendingPathComponent("x.y.chunk")
        guard fm.createFile(atPath: oldChunk.path, contents: Data("x".utf8)) else { throw TestStoreError("plant") }
        try fm.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * 86400)], ofItemAtPath: earlierRun.path)
        try await server.store.database.write { db in
            try db.execute(sql: "INSERT INTO upload_part (upload_id) VALUES (?)", arguments: [strayId])
            try db.execute(
                sql: "INSERT INTO upload_part_chunk (upload_id, start_offset, bytes) VALUES (?, 0, ?)",
                arguments: [strayId, Data("x".utf8)])
            try db.execute(
                sql: "INSERT INTO content_chunk (sha256, idx, bytes) VALUES (?, 0, ?)",
                arguments: [orphanSha, Data("x".utf8)])
        }
        let store = server.store
        return [
            ("stray part", { try await server.blobs.hasPart(strayId) }),
            (
                "stray part bytes",
                {
                    try await store.database.read { db in
                        try db.fetchValue(
                            Int.self, sql: "SELECT COUNT(*) FROM upload_part_chunk WHERE upload_id = ?",
                            arguments: [strayId]) ?? 0
                    } > 0
                }
            ),
            ("body of an earlier run", { fm.fileExists(atPath: oldChunk.path) }),
            ("content without a row", { try await server.blobs.content(orphanSha) != nil }),
        ]
    }
}

import Crypto
import Foundation
import MutualAidDomain
import SyncStorage

/// Parts and content as rows of the case store's database (`upload_part_chunk`,
/// `content_chunk`), so every server process on the store reaches them. A part is the rows
/// appended at its recorded offsets; content is stored whole, in pieces of at most 1 MiB, after
/// its bytes hashed to their name. PATCH bodies are still received into a local file first
/// (only a body whose checksum passed is appended). The bytes are written outside the feed's
/// order (`writeUnordered`): no feed row depends on them, and a material is verified only in a
/// later write that finds them stored.
struct DatabaseBlobStore: BlobStore {
    let database: any SQLDatabase
    /// Local folder for bodies being received by this process.
    let staging: URL

    static let piece = 1 << 20

    init(database: any SQLDatabase, dataDirectory: URL) {
        self.database = database
        staging = dataDirectory.appendingPathComponent("staging").appendingPathComponent(UploadLease.run)
    }

    func prepare() throws {
        try FileManager.default.createDirectory(
            at: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    var writesBodiesDirectly: Bool { false }

    func stagingURL(_ uploadId: String) -> URL {
        staging.appendingPathComponent("\(uploadId).\(UUID().uuidString.lowercased()).chunk")
    }

    /// Bodies are staged: the part is rows of the database, appended in one transaction.
    func openPartForWriting(_ uploadId: String, at offset: Int64) async throws -> FileHandle? { nil }

    func createPart(_ uploadId: String) async throws {
        try await database.write { db in
            try db.execute(sql: "INSERT INTO upload_part (upload_id) VALUES (?)", arguments: [uploadId])
        }
    }

    func partLength(_ uploadId: String) async throws -> Int64? {
        try await database.read { db in try Self.partLength(db, uploadId) }
    }

    func append(_ chunk: URL, toPart uploadId: String, at offset: Int64) async throws {
        let bytes = try Self.received(chunk)
        // One request at a time holds the upload's lease, so no other writes this part now.
        try await database.writeUnordered { db in
            try Self.cut(db, uploadId, to: offset)
            var start = offset
            for piece in Self.pieces(bytes) {
                try db.execute(
                    sql: "INSERT INTO upload_part_chunk (upload_id, start_offset, bytes) VALUES (?, ?, ?)",
                    arguments: [uploadId, start, piece])
                start += Int64(piece.count)
            }
        }
    }

    func cut(_ uploadId: String, to offset: Int64) async throws {
        try await database.write { db in try Self.cut(db, uploadId, to: offset) }
    }

    func removePart(_ uploadId: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM upload_part_chunk WHERE upload_id = ?", arguments: [uploadId])
            try db.execute(sql: "DELETE FROM upload_part WHERE upload_id = ?", arguments: [uploadId])
        }
    }

    func partMatches(_ uploadId: String, sha256: String) async throws -> Bool {
        let bytes = try await database.read { db in try Self.part(db, uploadId) }
        return RecordDigest.hex(SHA256.hash(data: bytes)) == sha256
    }

    func storeContent(fromVerifiedPart uploadId: String, sha256: String) async throws {
        try await database.writeUnordered { db in try Self.store(hashed: Self.part(db, uploadId), sha256: sha256, db) }
    }

    func storeContent(fromWholeBody body: URL, sha256: String) async throws {
        let bytes = try Self.received(body)
        try await database.writeUnordered { db in try Self.store(hashed: bytes, sha256: sha256, db) }
    }

    func store(_ data: Data, sha256: String, in db: any SQLConnection) throws -> Bool {
        guard RecordDigest.hex(SHA256.hash(data: data)) == sha256 else { return false }
        try Self.store(hashed: data, sha256: sha256, db)
        return true
    }

    func holds(_ sha256: String, bytes: Int64, in db: any SQLConnection) throws -> Bool {
        try db.fetchValue(
            Int64.self, sql: "SELECT SUM(length(bytes)) FROM content_chunk WHERE sha256 = ?", arguments: [sha256])
            == bytes
    }

    func holds(_ sha256: String, bytes: Int64) async throws -> Bool {
        try await database.read { db in try holds(sha256, bytes: bytes, in: db) }
    }

    func remove(_ sha256: String, in db: any SQLConnection) throws {
        try db.execute(sql: "DELETE FROM content_chunk WHERE sha256 = ?", arguments: [sha256])
    }

    func content(_ sha256: String) async throws -> Data? {
        let pieces = try await database.read { db in
            try db.fetchValues(
                Data.self, sql: "SELECT bytes FROM content_chunk WHERE sha256 = ? ORDER BY idx", arguments: [sha256])
        }
        return pieces.isEmpty ? nil : pieces.reduce(into: Data()) { $0.append($1) }
    }

    func contentMatches(_ sha256: String) async throws -> Bool {
        guard let data = try await content(sha256) else { return false }
        return RecordDigest.hex(SHA256.hash(data: data)) == sha256
    }

    func startMaintenance(openUploads: @Sendable () async throws -> Set<String>) async throws -> [String] {
        // Bodies other runs of this data folder were receiving when they were killed: only
        // folders a day old, since other processes may share the folder and be receiving now.
        let root = staging.deletingLastPathComponent()
        let fm = FileManager.default
        for run in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] where run != UploadLease.run {
            let folder = root.appendingPathComponent(run)
            let modified = (try? fm.attributesOfItem(atPath: folder.path)[.modificationDate] as? Date) ?? Date()
            if Date().timeIntervalSince(modified) > 24 * 3600 { try? fm.removeItem(at: folder) }
        }
        return try await database.write { db in
            // In one transaction with the upload rows: a part whose upload is gone.
            try db.execute(
                sql: "DELETE FROM upload_part_chunk WHERE upload_id NOT IN (SELECT id FROM upload)")
            try db.execute(sql: "DELETE FROM upload_part WHERE upload_id NOT IN (SELECT id FROM upload)")
            return try db.fetchValues(String.self, sql: "SELECT DISTINCT sha256 FROM content_chunk")
        }
    }

    /// A PATCH body this process received into its staging folder.
    static func received(_ body: URL) throws -> Data {
        guard let input = DurableFile.openForReading(body) else { throw DurableFile.failed }
        defer { try? input.close() }
        return try input.readToEnd() ?? Data()
    }

    /// The part's length, nil when there is no part.
    static func partLength(_ db: any SQLConnection, _ uploadId: String) throws -> Int64? {
        guard try db.fetchOne(sql: "SELECT 1 FROM upload_part WHERE upload_id = ?", arguments: [uploadId]) != nil
        else { return nil }
        return try db.fetchValue(
            Int64.self, sql: "SELECT SUM(length(bytes)) FROM upload_part_chunk WHERE upload_id = ?",
            arguments: [uploadId]) ?? 0
    }

    static func cut(_ db: any SQLConnection, _ uploadId: String, to offset: Int64) throws {
        // Fewer bytes than recorded (or no part): the upload must start again.
        guard let length = try partLength(db, uploadId), length >= offset else { throw PartWriter.lost }
        try db.execute(
            sql: "DELETE FROM upload_part_chunk WHERE upload_id = ? AND start_offset >= ?",
            arguments: [uploadId, offset])
        // A piece that runs past the offset keeps only its bytes before it.
        try db.execute(
            sql: """
                UPDATE upload_part_chunk SET bytes = substr(bytes, 1, CAST(? - start_offset AS INTEGER))
                WHERE upload_id = ? AND start_offset < ? AND start_offset + length(bytes) > ?
                """, arguments: [offset, uploadId, offset, offset])
    }

    /// Stores bytes the caller hashed to `sha256` (not again inside the write), replacing any
    /// earlier copy: the new bytes hashed to their name, an old copy may not. Two stores of the
    /// same content at once (two devices, two processes) both succeed: the later one waits for
    /// the earlier one's pieces and writes its own over them.
    static func store(hashed data: Data, sha256: String, _ db: any SQLConnection) throws {
        try db.execute(sql: "DELETE FROM content_chunk WHERE sha256 = ?", arguments: [sha256])
        for (index, piece) in pieces(data).enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO content_chunk (sha256, idx, bytes) VALUES (?, ?, ?)
                    ON CONFLICT (sha256, idx) DO UPDATE SET bytes = excluded.bytes
                    """,
                arguments: [sha256, index, piece])
        }
    }

    /// The part's bytes in order. Throws `PartWriter.lost` when there is no part.
    static func part(_ db: any SQLConnection, _ uploadId: String) throws -> Data {
        guard try partLength(db, uploadId) != nil else { throw PartWriter.lost }
        let pieces = try db.fetchValues(
            Data.self, sql: "SELECT bytes FROM upload_part_chunk WHERE upload_id = ? ORDER BY start_offset",
            arguments: [uploadId])
        return pieces.reduce(into: Data()) { $0.append($1) }
    }

    static func pieces(_ data: Data) -> [Data] {
        stride(from: 0, to: data.count, by: piece).map { data.subdata(in: $0..<min($0 + piece, data.count)) }
    }
}

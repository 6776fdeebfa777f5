import Foundation
import SyncStorage

/// Where the bytes of uploads in flight (parts) and of verified materials (content by SHA-256)
/// live: files under the data folder (`FileBlobStore`, the embedded store's default, one
/// process) or rows of the case store's database (`DatabaseBlobStore`, for several processes on
/// PostgreSQL: a PATCH may land on any of them). The upload and content code is written once
/// against this interface, and the same tests run on both.
///
/// Content calls taking `db` run inside a transaction of the case store, so that a content row
/// and its bytes go (or are checked) together; the file store does not need the connection.
public protocol BlobStore: Sendable {
    /// Folders, at start.
    func prepare() throws

    // MARK: Upload parts

    /// Where this process receives a PATCH body before it is appended (always a local file:
    /// the body is appended only after its checksum passed).
    func stagingURL(_ uploadId: String) -> URL
    /// Whether PATCH bodies are written past the page cache (`BodyFileWriter`): on the file
    /// store they stay on disk as parts or content and are not read back soon; the database
    /// store reads each one back at once to copy it into a row, so it keeps them cached.
    var writesBodiesDirectly: Bool { get }
    /// The part, cut back to the recorded `offset` and positioned there, for a PATCH body to be
    /// written straight in (bytes past the recorded offset are never counted, so a body that
    /// fails its checksum or dies half way costs nothing but a cut); locked, so one request
    /// writes it at a time (`ServerError.uploadBusy` otherwise), until the handle is closed.
    /// Nil where bodies are staged and appended instead (the database store).
    func openPartForWriting(_ uploadId: String, at offset: Int64) async throws -> FileHandle?
    func createPart(_ uploadId: String) async throws
    /// The part's length in bytes, nil when there is no part.
    func partLength(_ uploadId: String) async throws -> Int64?
    /// Cuts the part back to `offset` (the recorded one) and appends `chunk`, durably. Throws
    /// `PartWriter.lost` when the part is missing or shorter than `offset`.
    func append(_ chunk: URL, toPart uploadId: String, at offset: Int64) async throws
    /// Drops bytes past the recorded offset (appended by a PATCH that died before recording them).
    func cut(_ uploadId: String, to offset: Int64) async throws
    func removePart(_ uploadId: String) async throws
    /// True when the whole part hashes to `sha256`. Throws `PartWriter.lost` when there is no part.
    func partMatches(_ uploadId: String, sha256: String) async throws -> Bool
    /// Stores the whole part, which `partMatches` found to hash to `sha256`, as content, not
    /// hashed again (the upload, recorded completed in between, takes no more bytes). The part
    /// may be moved into place (the file store renames it: no copy) and be gone after.
    func storeContent(fromVerifiedPart uploadId: String, sha256: String) async throws
    /// Stores a received body that is the whole file (one PATCH from offset 0, most materials)
    /// as content straight away, the part left empty: the bytes are written once, not three
    /// times (body, part, content). Its bytes hashed to `sha256` as they arrived
    /// (`PartWriter.receive`), so they are not read again to be verified. The body's file may
    /// be moved away.
    func storeContent(fromWholeBody body: URL, sha256: String) async throws

    // MARK: Content

    /// Stores bytes in memory (a certificate photo) inside the caller's transaction.
    func store(_ data: Data, sha256: String, in db: any SQLConnection) throws -> Bool
    /// A cheap check that the content of `sha256` is there, whole, inside a transaction.
    func holds(_ sha256: String, bytes: Int64, in db: any SQLConnection) throws -> Bool
    /// The same check on its own.
    func holds(_ sha256: String, bytes: Int64) async throws -> Bool
    func remove(_ sha256: String, in db: any SQLConnection) throws
    /// The stored bytes, nil when there are none (they are hashed before they are served).
    func content(_ sha256: String) async throws -> Data?
    /// The stored content of `sha256` is there and its bytes hash to it (read in pieces where the store can).
    func contentMatches(_ sha256: String) async throws -> Bool

    // MARK: Maintenance

    /// At start: removes parts whose upload is gone and leftovers of killed runs; answers the
    /// hashes of all stored content. `openUploads` is read after the parts are listed, so a
    /// part made meanwhile is never taken for a leftover.
    func startMaintenance(openUploads: @Sendable () async throws -> Set<String>) async throws -> [String]
}

extension BlobStore {
    func hasPart(_ uploadId: String) async throws -> Bool { try await partLength(uploadId) != nil }
}

/// Which blob store a server uses.
public enum BlobStorage: Sendable {
    /// Files under the data folder: one process per store.
    case files
    /// Rows of the case store's database: any number of processes.
    case database
}

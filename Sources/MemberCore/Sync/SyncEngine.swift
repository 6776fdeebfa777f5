import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage

public struct SyncReport: Sendable, Codable {
    public var pushed: Int
    public var pulled: Int
    public var rejected: Int
    /// Materials whose upload finished in this run.
    public var uploaded: Int = 0
    public var uploadedBytes: Int64 = 0
}

/// How a sync runs: the upload chunk size and where progress goes.
public struct SyncOptions: Sendable {
    /// The first upload chunk's size.
    public var chunkSize: Int
    /// The largest chunk: when above `chunkSize`, chunks grow on a fast link (`TusUploader`).
    public var maxChunkSize: Int
    public var progress: @Sendable (UploadProgress) -> Void
    /// A material of one chunk goes whole in the request that creates its upload (tus
    /// creation-with-upload); off, it is created first and sent with PATCH (a proxy that drops
    /// bodies of POST; tests of the two-step path).
    public var wholeFileInCreation = true
    /// Benchmarks measure one phase at a time.
    @_spi(Benchmark) public var skipUploads = false
    @_spi(Benchmark) public var skipPull = false

    /// With no `chunkSize`, uploads start with 1 MiB chunks, then size each to about a second at
    /// the rate the last went through, up to a whole material (`TusUploader.nextChunkSize`); a
    /// given `chunkSize` is kept for every chunk (tests and the fault suite count chunks).
    public init(chunkSize: Int? = nil, progress: @escaping @Sendable (UploadProgress) -> Void = { _ in }) {
        self.chunkSize = max(1024, chunkSize ?? 1 << 20)
        self.maxChunkSize = chunkSize == nil ? MaterialLimits.maxBytes : self.chunkSize
        self.progress = progress
    }
}

/// The one owner of a client's sync runs, made with the client and kept for its life: pushes
/// the outbox in bounded batches, uploads materials, then pulls the feed page by page. Safe to
/// interrupt anywhere: a batch leaves the outbox only after the server's answer, and written
/// pages and the cursor commit together.
///
/// Runs go one at a time, in call order. A `run` called while another is under way waits for
/// it to end and then runs in full; it does not join the first: edits made meanwhile are pushed
/// by the second run, and each caller gets the report of its own run. (An actor alone would not
/// keep them apart: it lets calls interleave at every `await`.)
actor SyncEngine {
    let database: ClientDatabase
    let faults: ClientFaults
    let pushBatch: Int
    let pullPage: Int
    /// Pages written in one transaction at most, when they come faster than they are written.
    let pagesPerCommit: Int
    private var running = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(
        database: ClientDatabase, faults: ClientFaults, pushBatch: Int = 500, pullPage: Int = 1000,
        pagesPerCommit: Int = 10
    ) {
        self.database = database
        self.faults = faults
        self.pushBatch = min(pushBatch, ProtocolVersion.assumedMaxChangesPerPush)
        self.pullPage = min(pullPage, ProtocolVersion.maxPullPage)
        self.pagesPerCommit = max(1, pagesPerCommit)
    }

    /// `session` is asked once this run's turn has come, so a login made while waiting counts.
    func run(
        vault: MaterialVault, options: SyncOptions,
        session: @Sendable () throws -> APIClient
    ) async throws -> SyncReport {
        await takeTurn()
        defer { endTurn() }
        let api = try session()
        var report = SyncReport(pushed: 0, pulled: 0, rejected: 0)
        try await push(api, into: &report)
        if !options.skipUploads { try await uploadMaterials(api, vault: vault, options: options, into: &report) }
        if !options.skipPull { try await pull(api, into: &report) }
        let now = database.clock.iso8601
        try await database.writeAsync { db in try Meta.lastSync.set(db, now) }
        return report
    }

    private func takeTurn() async {
        guard running else {
            running = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the turn straight to the next waiting run, if any.
    private func endTurn() {
        if waiting.isEmpty { running = false } else { waiting.removeFirst().resume() }
    }

    /// Every recorded material the server does not hold yet, oldest first.
    private func uploadMaterials(
        _ api: APIClient, vault: MaterialVault, options: SyncOptions,
        into report: inout SyncReport
    ) async throws {
        let database = self.database
        let pending = try database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT u.material_id, u.upload_url, m.item, m.sha256 \(PendingUploads.fromWhere) ORDER BY m.rowid"
            ).map {
                (
                    id: $0["material_id"] as String, url: $0["upload_url"] as String?, item: $0["item"] as String,
                    sha: $0["sha256"] as String
                )
            }
        }
        // The sync's marks here (bytes sent, an upload's URL, done) are written without an
        // fsync each: the sync's next durable commit carries them, and a power cut that loses
        // one costs only a question the server answers (a HEAD; a new upload answered 409,
        // "already held", which marks it done). A material of one chunk goes in the creating
        // request, so for it the question carries its bytes once more (still answered 409).
        for material in pending {
            let data = try vault.read(material.id)
            let id = material.id
            let uploader = TusUploader(
                api: api, chunkSize: options.chunkSize, maxChunkSize: options.maxChunkSize,
                wholeFileInCreation: options.wholeFileInCreation,
                willSend: { bytes in
                    try await database.writeBookkeeping { db in try Meta.addUploadedBytes(db, bytes) }
                }, progress: options.progress)
            let before = try database.read { db in try Meta.uploadedBytes(db) }
            do {
                _ = try await uploader.upload(
                    materialId: id, item: material.item, data: data, sha256: material.sha,
                    resumeURL: material.url
                ) { url in
                    try await database.writeBookkeeping { db in
                        try db.execute(
                            sql: "UPDATE material_upload SET upload_url = ? WHERE material_id = ?",
                            arguments: [url, id])
                    }
                }
            } catch ClientError.server(let status, _, _) where status == 423 || status == 429 {
                continue  // busy, or too many open uploads of it for now: not a refusal; the next sync goes on
            } catch ClientError.server(let status, _, let message) where (400..<500).contains(status) && status != 401 {
                // This material was refused (its registration was rejected, say): keep the reason
                // for `status` and go on with the others and the pull.
                try await database.writeAsync { db in
                    try db.execute(
                        sql: "UPDATE material_upload SET error = ? WHERE material_id = ?", arguments: [message, id])
                }
                continue
            }
            try await database.writeBookkeeping { db in
                try db.execute(
                    sql: "UPDATE material_upload SET done = 1, upload_url = NULL WHERE material_id = ?", arguments: [id]
                )
            }
            report.uploaded += 1
            report.uploadedBytes += try database.read { db in try Meta.uploadedBytes(db) } - before
        }
    }

    /// Pages are asked for ahead (`PageAhead`): the next as soon as an answer names it, so the
    /// server's reading, the link, this device's decoding and its writing overlap. Pages that
    /// have already come when one is written join its transaction (up to `pagesPerCommit`), so
    /// a fast link costs fewer durable commits. The cursor is only ever moved by written pages,
    /// in their transaction: a page asked for ahead and then dropped (an error, a kill) is asked
    /// for again.
    private func pull(_ api: APIClient, into report: inout SyncReport) async throws {
        let database = self.database
        let limit = pullPage
        let perCommit = pagesPerCommit
        let faults = self.faults
        let ahead = PageAhead { cursor, announce in
            try await api.call(
                "GET", "/v1/sync/pull", query: [("after", String(cursor)), ("limit", String(limit))], body: nil,
                answer: { response in
                    let next = response.header(ProtocolVersion.nextAfterHeader).flatMap { Int64($0) }
                    if let next { announce(next) }
                    let page = try WireJSON.decode(PulledPage.self, from: response.body)
                    // The page asked for ahead must be the one the body names.
                    if let next, page.nextAfter != next {
                        throw NextPageMismatch()  // reported as an answer that cannot be read
                    }
                    return page
                })
        }
        ahead.request(after: try database.read { db in Int64(try Meta.cursor.get(db) ?? "0") ?? 0 })
        while let first = try await ahead.next() {
            do {
                report.pulled += try await database.writeAsync { db in
                    var page = first
                    var pages = 1
                    var pulled = 0
                    while true {
                        try PullApplier.apply(page, database: database, db)
                        pulled += page.count
                        try faults.reached(.pullPageWritten)
                        guard pages < perCommit, let arrived = ahead.takeIfArrived() else { return pulled }
                        page = arrived
                        pages += 1
                    }
                }
            } catch {
                ahead.cancel()
                throw error
            }
        }
    }
}

/// A pull answer whose header named another next page than its body.
private struct NextPageMismatch: Error {}

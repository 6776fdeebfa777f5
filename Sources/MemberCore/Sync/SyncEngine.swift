import Foundation
import GRDB
import MutualAidDomain
import SyncStorage
import SyncProtocol

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
    /// Benchmarks measure one phase at a time.
    @_spi(Benchmark) public var skipUploads = false
    @_spi(Benchmark) public var skipPull = false

    /// With no `chunkSize`, uploads start with 1 MiB chunks and let them grow up to 8 MiB while
    /// each goes through in well under two seconds; a given `chunkSize` is kept for every chunk
    /// (tests and the fault suite count chunks).
    public init(chunkSize: Int? = nil, progress: @escaping @Sendable (UploadProgress) -> Void = { _ in }) {
        self.chunkSize = max(1024, chunkSize ?? 1 << 20)
        self.maxChunkSize = chunkSize == nil ? 8 << 20 : self.chunkSize
        self.progress = progress
    }
}

/// The one owner of a sync run: pushes the outbox in bounded batches, then pulls the feed
/// page by page. Safe to interrupt anywhere: a batch leaves the outbox only after the server's
/// answer, and a page's rows and cursor commit together.
actor SyncEngine {
    let database: ClientDatabase
    let api: APIClient
    let pushBatch: Int
    let pullPage: Int
    let options: SyncOptions
    let vault: MaterialVault

    init(database: ClientDatabase, api: APIClient, vault: MaterialVault, options: SyncOptions = SyncOptions(),
         pushBatch: Int = 500, pullPage: Int = 2000) {
        self.database = database; self.api = api; self.vault = vault; self.options = options
        self.pushBatch = min(pushBatch, ProtocolVersion.maxChangesPerPush)
        self.pullPage = min(pullPage, ProtocolVersion.maxPullPage)
    }

    func run() async throws -> SyncReport {
        var report = SyncReport(pushed: 0, pulled: 0, rejected: 0)
        try await push(into: &report)
        if !options.skipUploads { try await uploadMaterials(into: &report) }
        if !options.skipPull { try await pull(into: &report) }
        let now = Date().formatted(.iso8601)
        try database.write { db in try Meta.lastSync.set(db, now) }
        return report
    }

    private func push(into report: inout SyncReport) async throws {
        let limit = pushBatch
        var renumbered = 0
        while true {
            let batch = try database.read { db in
                (changes: try Outbox.pending(db, cipher: self.database.cipher, limit: limit), clientId: try LocalClock.clientId(db))
            }
            guard !batch.changes.isEmpty else { return }
            let body = WireJSON.encode(PushRequest(clientId: batch.clientId, changes: batch.changes))
            let response = try await api.call("POST", "/v1/sync/push", body: body) { try WireJSON.decode(PushResponse.self, from: $0) }
            ClientFaults.reached(.afterPushResponse)
            let counts = try database.write { db in
                try Outbox.acknowledge(db, cipher: self.database.cipher, sent: batch.changes, results: response.results)
            }
            report.pushed += counts.applied
            report.rejected += counts.rejected
            if counts.reused > 0 {
                // Restored from a backup: renumber what is waiting and send it again. Twice in
                // one sync means something else is wrong; stop rather than loop.
                renumbered += 1
                guard renumbered <= 2 else {
                    throw ClientError.server(status: 200, code: "change_id_reused", message: "更改编号冲突无法自动解决，请联系技术支持")
                }
                try database.write { db in try Outbox.renumber(db) }
                continue
            }
            // A server that answered for none of the batch would loop forever; stop instead.
            guard counts.applied + counts.rejected > 0 else {
                throw ClientError.server(status: 200, code: "empty_ack", message: "服务器没有确认任何更改，请稍后重试")
            }
        }
    }

    /// Every recorded material the server does not hold yet, oldest first.
    private func uploadMaterials(into report: inout SyncReport) async throws {
        let database = self.database
        let pending = try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.material_id, u.upload_url, m.item, m.sha256 FROM material_upload u
                JOIN claim_material m ON m.id = u.material_id
                WHERE u.done = 0 AND u.error IS NULL AND COALESCE(m.verified, 0) = 0 ORDER BY m.rowid
                """).map { (id: $0["material_id"] as String, url: $0["upload_url"] as String?, item: $0["item"] as String,
                            sha: $0["sha256"] as String) }
        }
        for material in pending {
            let data = try vault.read(material.id)
            let id = material.id
            let uploader = TusUploader(api: api, chunkSize: options.chunkSize, maxChunkSize: options.maxChunkSize, willSend: { bytes in
                try database.write { db in try Meta.addUploadedBytes(db, bytes) }
            }, progress: options.progress)
            let before = try database.read { db in try Meta.uploadedBytes(db) }
            do {
                _ = try await uploader.upload(materialId: id, item: material.item, data: data, sha256: material.sha,
                                              resumeURL: material.url) { url in
                    try database.write { db in
                        try db.execute(sql: "UPDATE material_upload SET upload_url = ? WHERE material_id = ?", arguments: [url, id])
                    }
                }
            } catch ClientError.server(let status, _, _) where status == 423 || status == 429 {
                continue  // busy, or too many open uploads of it for now: not a refusal; the next sync goes on
            } catch ClientError.server(let status, _, let message) where (400..<500).contains(status) && status != 401 {
                // This material was refused (its registration was rejected, say): keep the reason
                // for `status` and go on with the others and the pull.
                try database.write { db in
                    try db.execute(sql: "UPDATE material_upload SET error = ? WHERE material_id = ?", arguments: [message, id])
                }
                continue
            }
            try database.write { db in
                try db.execute(sql: "UPDATE material_upload SET done = 1, upload_url = NULL WHERE material_id = ?", arguments: [id])
            }
            report.uploaded += 1
            report.uploadedBytes += try database.read { db in try Meta.uploadedBytes(db) } - before
        }
    }

    private func pull(into report: inout SyncReport) async throws {
        while true {
            let cursor = try database.read { db in Int64(try Meta.cursor.get(db) ?? "0") ?? 0 }
            let page = try await api.call("GET", "/v1/sync/pull", query: [("after", String(cursor)), ("limit", String(pullPage))],
                                          body: nil) { try WireJSON.decode(PullResponse.self, from: $0) }
            let database = self.database
            try database.write { db in try PullApplier.apply(page.changes, cursor: page.cursor, database: database, db) }
            report.pulled += page.changes.count
            if !page.hasMore || page.changes.isEmpty { return }
        }
    }
}

/// Crash points for the exactly-once tests: `MEMBER_CLI_CRASH_AT=after-push-response` kills
/// the process with SIGKILL after the server answered and before the outbox is updated.
enum ClientFaults {
    enum Point: String { case afterPushResponse = "after-push-response" }

    static let armed = ProcessInfo.processInfo.environment["MEMBER_CLI_CRASH_AT"].flatMap(Point.init(rawValue:))

    static func reached(_ point: Point) {
        if point == armed { kill(getpid(), SIGKILL) }
    }
}

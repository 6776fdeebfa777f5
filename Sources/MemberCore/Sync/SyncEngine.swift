import Foundation
import MutualAidDomain

public struct SyncReport: Sendable, Codable {
    public var pushed: Int
    public var pulled: Int
    public var rejected: Int
}

/// The one owner of a sync run: pushes the outbox in bounded batches, then pulls the feed
/// page by page. Safe to interrupt anywhere: a batch leaves the outbox only after the server's
/// answer, and a page's rows and cursor commit together.
actor SyncEngine {
    let database: ClientDatabase
    let api: APIClient
    let pushBatch: Int
    let pullPage: Int

    init(database: ClientDatabase, api: APIClient, pushBatch: Int = 500, pullPage: Int = 2000) {
        self.database = database; self.api = api
        self.pushBatch = min(pushBatch, ProtocolVersion.maxChangesPerPush)
        self.pullPage = min(pullPage, ProtocolVersion.maxPullPage)
    }

    func run() async throws -> SyncReport {
        var report = SyncReport(pushed: 0, pulled: 0, rejected: 0)
        try await push(into: &report)
        try await pull(into: &report)
        let now = Date().formatted(.iso8601)
        try database.write { db in try Meta.lastSync.set(db, now) }
        return report
    }

    private func push(into report: inout SyncReport) async throws {
        let limit = pushBatch
        while true {
            let batch = try database.read { db in
                (changes: try Outbox.pending(db, limit: limit), clientId: try LocalClock.clientId(db))
            }
            guard !batch.changes.isEmpty else { return }
            let response = try await api.post("/v1/sync/push", PushRequest(clientId: batch.clientId, changes: batch.changes),
                                              as: PushResponse.self)
            ClientFaults.reached(.afterPushResponse)
            let counts = try database.write { db in
                try Outbox.acknowledge(db, sent: batch.changes, results: response.results)
            }
            report.pushed += counts.applied
            report.rejected += counts.rejected
            // A server that answered for none of the batch would loop forever; stop instead.
            guard counts.applied + counts.rejected > 0 else {
                throw ClientError.server(status: 200, code: "empty_ack", message: "服务器没有确认任何更改，请稍后重试")
            }
        }
    }

    private func pull(into report: inout SyncReport) async throws {
        while true {
            let cursor = try database.read { db in Int64(try Meta.cursor.get(db) ?? "0") ?? 0 }
            let page = try await api.get("/v1/sync/pull", query: [("after", String(cursor)), ("limit", String(pullPage))],
                                         as: PullResponse.self)
            try database.write { db in try PullApplier.apply(page.changes, cursor: page.cursor, db) }
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

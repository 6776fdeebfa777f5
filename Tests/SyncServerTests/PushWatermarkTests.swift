import Foundation
import MutualAidDomain
import PostgresStorage
import Schema
import SyncProtocol
import SyncStorage
import TestSupport
import Testing

@testable import MemberCore
@testable import SyncServer

/// A batch asks the ledger only for ids at or below its device's watermark. Retries and a
/// device restored from a backup must be answered as before, and the marks backfilled from an
/// existing ledger must be the ones the Swift parse gives, on either store.
@Suite struct PushWatermarkTests {
    @Test func retriesAndReusedIdsAreStillAnsweredFromTheLedger() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let me = try await server.login("zhangwei")
        let mine = me.account.memberId!
        let api = server.api(token: me.token)
        func change(_ seq: Int, _ mobile: String) -> Change {
            SyncRouteTests.change(seq, client: "dev-w", record: mine, ["mobile": .string(mobile)])
        }
        func push(_ changes: [Change]) async throws -> [ChangeResult] {
            try await api.post("/v1/sync/push", PushRequest(clientId: "dev-w", changes: changes), as: PushResponse.self)
                .results
        }
        let sent = (1...8).map { change($0, String(format: "139%08d", $0)) }
        let first = try await push(Array(sent[0..<5]))
        #expect(first.allSatisfy { $0.status == .applied && !$0.replayed })

        // A retry overlapping the mark: the old ids are replays, the new ones apply.
        let second = try await push(Array(sent[3..<8]))
        #expect(second.map(\.replayed) == [true, true, false, false, false])
        #expect(second.allSatisfy { $0.status == .applied })

        let other = try await server.login("lina")
        let (asked, othersAsked) = try await server.store.database.read { db in
            (
                try PushWatermark.mayBeAnswered(
                    ["dev-w:7", "dev-w:8", "dev-w:9", "dev-w:10", "dev-w:08", "dev-x:1"], accountId: me.account.id, db),
                try PushWatermark.mayBeAnswered(["dev-w:3"], accountId: other.account.id, db)
            )
        }
        #expect(asked == ["dev-w:7", "dev-w:8", "dev-w:08"])
        #expect(othersAsked.isEmpty)

        // Below the mark with other content: a device restored from a backup, told to renumber.
        let reused = try await push([change(3, "13700000000"), change(9, "13900000009")])
        #expect(reused.map(\.status) == [.changeIdReused, .applied])
        let feed = try await server.store.database.read { db in
            try db.fetchValues(
                String.self, sql: "SELECT fields FROM change_feed WHERE record_id = ? ORDER BY seq",
                arguments: [mine])
        }
        #expect(!feed.contains { $0.contains("13700000000") })
        #expect(feed.last?.contains("13900000009") == true)
    }

    /// The migration parses the existing ledger in SQL; the push in Swift. Both must agree on
    /// every id, or a retried change could be applied twice.
    @Test func theBackfilledMarksAreTheSwiftParseOfTheLedger() async throws {
        let ids = [
            "dev:1", "dev:42", "dev:7", "dev:007", "dev:0", "dev:", "dev", ":5", "a:b:9", "dev:12a", "dev:-3",
            "dev:+3", "dev: 3", "dev:1e3", "dev:5\n", "dev:\u{663}", "only:1000000000000000000",
            "big:999999999999999999", "big:99", "mid:120", "mid:0120",
        ]
        let ledger = ids.map { ("a-1", $0) } + [("a-2", "dev:3"), ("a-2", "x:0"), ("a-2", "x:11")]
        var expected: [String: Int64] = [:]
        for (account, id) in ledger {
            guard let (clientId, seq) = ChangeId.parts(id) else { continue }
            expected["\(account)|\(clientId)"] = max(expected["\(account)|\(clientId)"] ?? 0, seq)
        }
        #expect(
            expected == [
                "a-1|dev": 42, "a-1|": 5, "a-1|big": 999_999_999_999_999_999, "a-1|mid": 120, "a-2|dev": 3, "a-2|x": 11,
            ])

        let marks = try await Self.backfill(ledger)
        #expect(marks == expected)
    }

    /// Migrates a new store up to the watermark, writes `ledger`, migrates the rest, and
    /// returns the marks.
    private static func backfill(_ ledger: [(account: String, changeId: String)]) async throws -> [String: Int64] {
        let insert: @Sendable (any SQLConnection) throws -> Void = { db in
            for (account, changeId) in ledger {
                try db.execute(
                    sql: """
                        INSERT INTO applied_change (account_id, change_id, tbl, record_id, status, reason, applied_at, digest)
                        VALUES (?, ?, 'profile', 'p-1', 'applied', NULL, 'now', 'd')
                        """, arguments: [account, changeId])
            }
        }
        let read: @Sendable (any SQLConnection) throws -> [String: Int64] = { db in
            try db.fetchAll(sql: "SELECT account_id, node, seq FROM push_watermark").reduce(into: [String: Int64]()) {
                marks, row in
                let account: String = try row["account_id"]
                let node: String = try row["node"]
                marks["\(account)|\(node)"] = try row["seq"]
            }
        }
        return try await StepMigration.across("push_watermark", write: insert, read: read)
    }
}

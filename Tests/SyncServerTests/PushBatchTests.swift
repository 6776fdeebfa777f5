import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage
import Testing

@testable import MemberCore
@testable import SyncServer

/// A batch's statements are per batch (ledger) and per run of changes to one record (feed):
/// the answers, the ledger and the last feed state must be those of one change at a time.
@Suite struct PushBatchTests {
    private func feedEntries(_ server: TestServer, _ recordId: String) async throws -> [String] {
        try await server.store.database.read { db in
            try db.fetchValues(
                String.self, sql: "SELECT fields FROM change_feed WHERE record_id = ? ORDER BY seq",
                arguments: [recordId])
        }
    }

    @Test func aRunLeavesOneEntryAndARefusalNeitherUndoesNorEndsIt() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let me = try await server.login("zhangwei")
        let other = try await server.login("lina")
        let mine = me.account.memberId!
        let theirs = other.account.memberId!
        let before = try await feedEntries(server, mine).count
        let theirsBefore = try await feedEntries(server, theirs)
        let batch = PushRequest(
            clientId: "dev-a",
            changes: [
                SyncRouteTests.change(1, record: mine, ["mobile": .string("13911112222")]),
                // Refused inside the run: the run goes on, and its entry is not lost.
                SyncRouteTests.change(2, record: mine, ["mobile": .string("not a number")]),
                SyncRouteTests.change(3, record: mine, ["bankName": .string("中国建设银行")]),
                // Another member's record: refused, and it ends the run above first.
                SyncRouteTests.change(4, record: theirs, ["mobile": .string("13900000000")]),
                SyncRouteTests.change(5, record: mine, ["bankName": .string("中国农业银行")]),
            ])
        let answer = try await server.api(token: me.token).post("/v1/sync/push", batch, as: PushResponse.self)
        #expect(answer.results.map(\.status) == [.applied, .rejected, .applied, .rejected, .applied])

        let entries = try await feedEntries(server, mine)
        #expect(entries.count == before + 2)
        #expect(entries[before].contains("13911112222") && entries[before].contains("中国建设银行"))
        #expect(!entries.contains { $0.contains("not a number") })
        #expect(entries.last?.contains("中国农业银行") == true)
        #expect(try await feedEntries(server, theirs) == theirsBefore)
    }

    /// Longer than one of SQLite's ledger statements, and (resent with one more change) as long
    /// as a push may be: each push's answers are one ledger row, and a resent batch is answered
    /// from them whole.
    @Test(arguments: [PushLedger.rowsPerStatement * 2 + 37, ProtocolVersion.maxChangesPerPush - 1])
    func aLongBatchIsAnsweredAndReplayedWhole(count: Int) async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let me = try await server.login("zhangwei")
        let mine = me.account.memberId!
        let changes = (1...count).map {
            SyncRouteTests.change($0, client: "dev-b", record: mine, ["mobile": .string(String(format: "139%08d", $0))])
        }
        let api = server.api(token: me.token)
        let first = try await api.post(
            "/v1/sync/push", PushRequest(clientId: "dev-b", changes: changes), as: PushResponse.self)
        #expect(first.results.map(\.changeId) == changes.map(\.changeId))
        #expect(first.results.allSatisfy { $0.status == .applied && !$0.replayed })

        // Resent with one new change in the middle: every old one is a replay, the new one applies.
        var again = changes
        again.insert(
            SyncRouteTests.change(count + 1, client: "dev-b", record: mine, ["bankName": .string("招商银行")]), at: 150)
        let second = try await api.post(
            "/v1/sync/push", PushRequest(clientId: "dev-b", changes: again), as: PushResponse.self)
        #expect(second.results.filter(\.replayed).count == count)
        #expect(second.results[150].status == .applied && !second.results[150].replayed)

        let (ledger, rows) = try await server.store.database.read { db in
            (
                try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM applied_change WHERE change_id LIKE 'dev-b:%'"),
                try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM applied_batch WHERE node = 'dev-b'")
            )
        }
        #expect(ledger == count + 1)
        #expect(rows == 2)
        let last = try await feedEntries(server, mine).last
        #expect(last?.contains(String(format: "139%08d", count)) == true)
        #expect(last?.contains("招商银行") == true)
    }

    private static func unitChange(_ seq: Int, _ fields: FieldMap) -> Change {
        Change(
            changeId: "dev-u:\(seq)", table: "unit", recordId: "unit-001", op: .upsert, fields: fields,
            hlc: HLCTimestamp(millis: Int64(Date().timeIntervalSince1970 * 1000), counter: seq, node: "dev-u")
                .description)
    }

    /// A run merged in memory whose one save the schema refuses (another active unit's code) is
    /// undone and applied again change by change: only the offending change is refused.
    @Test func aRunWhoseSaveTheSchemaRefusesIsAnsweredChangeByChange() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.login("sz-agent")
        let (ownCode, takenCode) = try await server.store.database.read { db in
            (
                try db.fetchValue(String.self, sql: "SELECT code FROM unit WHERE id = 'unit-001'"),
                try db.fetchValue(
                    String.self, sql: "SELECT code FROM unit WHERE id <> 'unit-001' AND state = 'active' LIMIT 1")
            )
        }
        let entriesBefore = try await feedEntries(server, "unit-001").count
        let batch = PushRequest(
            clientId: "dev-u",
            changes: [
                Self.unitChange(1, ["address": .string("商州区新址 1 号")]),
                Self.unitChange(2, ["code": .string(takenCode!)]),
                Self.unitChange(3, ["region": .string("陕西省-商洛市-商州区")]),
            ])
        let api = server.api(token: agent.token)
        let answer = try await api.post("/v1/sync/push", batch, as: PushResponse.self)
        #expect(answer.results.map(\.status) == [.applied, .rejected, .applied])
        #expect(answer.results[1].reason == PushBatch.refusedBySchema)

        let row = try await server.store.database.read { db in
            try db.fetchOne(sql: "SELECT code, address, region FROM unit WHERE id = 'unit-001'")
        }
        #expect(try row?["code"] == ownCode)
        #expect(try row?["address"] == "商州区新址 1 号")
        #expect(try row?["region"] == "陕西省-商洛市-商州区")
        let entries = try await feedEntries(server, "unit-001")
        #expect(entries.count == entriesBefore + 1)
        #expect(entries.last?.contains("商州区新址 1 号") == true && entries.last?.contains(takenCode!) == false)

        let again = try await api.post("/v1/sync/push", batch, as: PushResponse.self)
        #expect(again.results.map(\.status) == [.applied, .rejected, .applied])
        #expect(again.results.allSatisfy { $0.replayed })
    }
}

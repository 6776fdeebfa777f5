import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage
import Testing

@testable import MemberCore
@testable import SyncServer

/// The sync routes over real HTTPS: push exactly once, scoped pull, checksums.
@Suite struct SyncRouteTests {
    static func change(_ seq: Int, client: String = "dev-a", record: String, _ fields: FieldMap) -> Change {
        Change(
            changeId: "\(client):\(seq)", table: "profile", recordId: record, op: .upsert, fields: fields,
            hlc: HLCTimestamp(millis: Int64(Date().timeIntervalSince1970 * 1000), counter: seq, node: client)
                .description)
    }

    @Test func theSameBatchTwiceIsAppliedOnce() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let session = try await server.login("zhangwei")
        let me = session.account.memberId!
        let api = server.api(token: session.token)
        let batch = PushRequest(
            clientId: "dev-a",
            changes: [
                Self.change(1, record: me, ["mobile": .string("13911112222")]),
                Self.change(2, record: me, ["bankName": .string("中国建设银行")]),
            ])
        let first = try await api.post("/v1/sync/push", batch, as: PushResponse.self)
        let again = try await api.post("/v1/sync/push", batch, as: PushResponse.self)
        #expect(first.results.map(\.status) == [.applied, .applied])
        #expect(first.results.allSatisfy { !$0.replayed })
        #expect(again.results.map(\.status) == [.applied, .applied])
        #expect(again.results.allSatisfy { $0.replayed })
        let counts = try await server.store.database.read { db in
            (
                try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM applied_change WHERE change_id LIKE 'dev-a:%'"),
                try db.fetchValue(
                    Int.self, sql: "SELECT COUNT(*) FROM change_feed WHERE record_id = ?", arguments: [me])
            )
        }
        #expect(counts.0 == 2)
        #expect(counts.1 == 2)  // the profile's first entry plus one for the batch's run of changes to it
        let page = try await api.get("/v1/sync/pull", query: [("after", "0")], as: PullResponse.self)
        #expect(page.changes.last?.fields["mobile"] == .string("13911112222"))
        #expect(page.changes.last?.fields["bankName"] == .string("中国建设银行"))
    }

    /// A pull answer with more names the next page's `after` in a header, equal to its body's
    /// cursor; the last page names none. Walked page by page through the whole feed.
    @Test func pullAnswersNameTheNextPageInAHeader() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        var after: Int64 = 0
        var pages = 0
        while true {
            let answer = try await server.raw("GET", "/v1/sync/pull?after=\(after)&limit=2", token: a.token)
            #expect(answer.status == 200)
            let page = try JSONDecoder().decode(PullResponse.self, from: answer.body)
            let named = answer.header(ProtocolVersion.nextAfterHeader)
            pages += 1
            guard page.hasMore else {
                #expect(named == nil)
                break
            }
            #expect(named == String(page.cursor))
            after = page.cursor
        }
        #expect(pages > 2)
    }

    @Test func aMemberSeesAndWritesOnlyTheirOwnRecords() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let b = try await server.login("lina")
        let api = server.api(token: a.token)
        let pulled = try await api.get("/v1/sync/pull", as: PullResponse.self)
        let me = a.account.memberId!
        let own = pulled.changes.filter { SyncTable.named($0.table)?.audience != .everyone }
        #expect(own.contains { $0.table == "profile" && $0.recordId == me })
        #expect(own.contains { $0.table == "enrolment" })
        #expect(own.allSatisfy { $0.recordId == me || $0.fields["memberId"] == .string(me) })
        #expect(pulled.changes.contains { $0.table == "claim_standard" })  // the catalogue is for everyone

        let before = try await server.storeFingerprint()
        let foreign = PushRequest(
            clientId: "dev-a",
            changes: [Self.change(1, record: b.account.memberId!, ["mobile": .string("13900000000")])])
        let answer = try await api.post("/v1/sync/push", foreign, as: PushResponse.self)
        #expect(answer.results.first?.status == .rejected)
        #expect(answer.results.first?.reason == "记录不存在或无权修改")
        let missing = PushRequest(
            clientId: "dev-a", changes: [Self.change(2, record: "m-nope", ["mobile": .string("13900000000")])])
        #expect(
            try await api.post("/v1/sync/push", missing, as: PushResponse.self).results.first?.reason == "记录不存在或无权修改")
        let after = try await server.storeFingerprint()
        #expect(before[1...4] == after[1...4])  // only the refusals were recorded
        let bMobile = try await server.store.database.read { db in
            try db.fetchValue(
                String.self, sql: "SELECT mobile FROM member WHERE id = ?", arguments: [b.account.memberId!])
        }
        #expect(bMobile != "13900000000")

        let checksum = try await api.get("/v1/sync/checksum", query: [("table", "profile")], as: ChecksumPage.self)
        #expect(checksum.records.map(\.id) == [a.account.memberId!])
    }

    @Test func serverOwnedFieldsAreNeverChangedByAPush() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let push = PushRequest(
            clientId: "dev-a", changes: [Self.change(1, record: a.account.memberId!, ["name": .string("李鬼")])])
        let answer = try await server.api(token: a.token).post("/v1/sync/push", push, as: PushResponse.self)
        #expect(answer.results.first?.status == .rejected)
        #expect(answer.results.first?.reason?.contains("由服务器维护") == true)
        let name = try await server.store.database.read { db in
            try db.fetchValue(
                String.self, sql: "SELECT name FROM member WHERE id = ?", arguments: [a.account.memberId!])
        }
        #expect(name == "张伟")
    }

    @Test func staffDoNotReceiveMemberOnlyRecords() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.login("sz-agent")
        let page = try await server.api(token: agent.token).get("/v1/sync/pull", as: PullResponse.self)
        #expect(!page.changes.contains { $0.table == "profile" })
        // Enrolments of the county's units, none from the other county.
        #expect(page.changes.contains { $0.table == "enrolment" && $0.fields["memberId"] == .string("m-001") })
        #expect(!page.changes.contains { $0.fields["memberId"] == .string("m-003") })
        let push = PushRequest(
            clientId: "dev-s",
            changes: [Self.change(1, client: "dev-s", record: "m-001", ["mobile": .string("13900000000")])])
        let answer = try await server.api(token: agent.token).post("/v1/sync/push", push, as: PushResponse.self)
        #expect(answer.results.first?.status == .rejected)
    }

    @Test func lastWriterWinsAcrossDevicesOfOneMember() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let api = server.api(token: a.token)
        let me = a.account.memberId!
        // Both stamps are newer than the demo's, and the earlier one arrives last.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let newer = Change(
            changeId: "dev-a:1", table: "profile", recordId: me, op: .upsert,
            fields: ["mobile": .string("13900000002")],
            hlc: HLCTimestamp(millis: now + 2_000, counter: 0, node: "dev-a").description)
        let older = Change(
            changeId: "dev-b:1", table: "profile", recordId: me, op: .upsert,
            fields: ["mobile": .string("13900000001")],
            hlc: HLCTimestamp(millis: now + 1_000, counter: 0, node: "dev-b").description)
        _ = try await api.post("/v1/sync/push", PushRequest(clientId: "dev-a", changes: [newer]), as: PushResponse.self)
        let r = try await api.post(
            "/v1/sync/push", PushRequest(clientId: "dev-b", changes: [older]), as: PushResponse.self)
        #expect(r.results.first?.status == .applied)  // accepted, but it loses the race
        let mobile = try await server.store.database.read { db in
            try db.fetchValue(String.self, sql: "SELECT mobile FROM member WHERE id = ?", arguments: [me])
        }
        #expect(mobile == "13900000002")
    }
}

import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage
import Testing

@testable import MemberCore
@testable import SyncServer

/// Issue 10, items 2 and 4 over real TLS: every size is bounded in bytes, clocks belong to
/// their device, and a reused change id is told apart from a retry.
@Suite struct TrustBoundsTests {
    static func stamp(_ node: String, counter: Int = 0) -> String {
        HLCTimestamp(millis: Int64(Date().timeIntervalSince1970 * 1000), counter: counter, node: node).description
    }

    static func claimDraft(
        _ n: Int, client: String, id: String = UUID().uuidString.lowercased(), hlc: String? = nil,
        _ fields: FieldMap
    ) -> Change {
        Change(
            changeId: "\(client):\(n)", table: "claim", recordId: id, op: .upsert, fields: fields,
            hlc: hlc ?? stamp(client, counter: n))
    }

    @Test func anOverLongClockNodeAForeignNodeAndPiledCombiningMarksAreRefused() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let session = try await server.login("zhangwei")
        let api = server.api(token: session.token)
        let before = try await server.store.database.read { db in
            try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM claim")
        }

        let longNode = String(repeating: "n", count: 200_000)
        let marks = "a" + String(repeating: "\u{0301}", count: 10_000)
        #expect(marks.count == 1)  // one character to Swift: a character count would let it through
        let answer = try await api.post(
            "/v1/sync/push",
            PushRequest(
                clientId: "dev-a",
                changes: [
                    Self.claimDraft(
                        1, client: "dev-a", hlc: Self.stamp(longNode), ["claimType": .string("hospitalization")]),
                    Self.claimDraft(
                        2, client: "dev-a", hlc: Self.stamp("someone-else"), ["claimType": .string("hospitalization")]),
                    Self.claimDraft(
                        3, client: "dev-a", ["claimType": .string("hospitalization"), "hospital": .string(marks)]),
                    Self.claimDraft(
                        4, client: "dev-a", hlc: Self.stamp("server"), ["claimType": .string("hospitalization")]),
                ]), as: PushResponse.self)
        #expect(answer.results.map(\.status) == [.rejected, .rejected, .rejected, .rejected])
        #expect(answer.results[0].reason == "更改的时间戳格式不正确")
        #expect(answer.results[1].reason?.contains("不属于本设备") == true)
        #expect(answer.results[2].reason?.contains("字节") == true)
        #expect(answer.results[3].reason?.contains("不属于本设备") == true)
        let after = try await server.store.database.read { db in
            try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM claim")
        }
        #expect(after == before)

        // The client id itself: at most 64 ASCII bytes, no colon.
        for bad in [String(repeating: "c", count: 65), "设备", "a:b"] {
            let body = try JSONEncoder().encode(
                PushRequest(
                    clientId: bad,
                    changes: [
                        Self.claimDraft(1, client: bad, ["claimType": .string("hospitalization")])
                    ]))
            let response = try await server.raw("POST", "/v1/sync/push", token: session.token, body: body)
            #expect(response.status == 400, "\(bad.prefix(8))")
            #expect(String(decoding: response.body, as: UTF8.self).contains("bad_client_id"))
        }
    }

    @Test func aReusedChangeIdWithOtherContentIsReportedAndAppliesNothing() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let session = try await server.login("zhangwei")
        let me = session.account.memberId!
        let api = server.api(token: session.token)
        func change(_ mobile: String, counter: Int) -> Change {
            Change(
                changeId: "dev-r:1", table: "profile", recordId: me, op: .upsert,
                fields: ["mobile": .string(mobile)], hlc: Self.stamp("dev-r", counter: counter))
        }
        func push(_ change: Change) async throws -> ChangeResult {
            try await api.post(
                "/v1/sync/push", PushRequest(clientId: "dev-r", changes: [change]), as: PushResponse.self
            ).results[0]
        }
        let original = change("13911112222", counter: 1)
        let first = try await push(original)
        #expect(first.status == .applied)
        let reused = try await push(change("13933334444", counter: 2))
        #expect(reused.status == .changeIdReused)
        #expect(reused.reason?.contains("新的客户端编号") == true)
        let mobile = try await server.store.database.read { db in
            try db.fetchValue(String.self, sql: "SELECT mobile FROM member WHERE id = ?", arguments: [me])
        }
        #expect(mobile == "13911112222")
        // The true retry (same content) is still a replay of the first answer.
        let retry = try await push(original)
        #expect(retry.status == .applied && retry.replayed)
    }

    @Test func checksumDetailComesInPagesThatCoverEveryRecordOnce() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let session = try await server.login("sz-agent")
        let api = server.api(token: session.token)
        let summary = try await api.get("/v1/sync/checksum", as: ChecksumResponse.self)
        let standards = try #require(summary.tables.first { $0.table == "claim_standard" })
        #expect(standards.records == nil && standards.count >= 2)
        var ids: [String] = []
        var hashes: [RecordHash] = []
        var after = ""
        for _ in 0..<100 {
            let page = try await api.get(
                "/v1/sync/checksum", query: [("table", "claim_standard"), ("after", after), ("limit", "1")],
                as: ChecksumPage.self)
            #expect(page.records.count <= 1)
            ids += page.records.map(\.id)
            hashes += page.records
            guard let next = page.next else { break }
            after = next
        }
        #expect(ids.count == standards.count && Set(ids).count == ids.count)
        #expect(RecordDigest.tableDigest(hashes) == standards.digest)
        let whole = try await server.raw("GET", "/v1/sync/checksum?detail=1", token: session.token)
        #expect(whole.status == 400)
        let unknown = try await server.raw("GET", "/v1/sync/checksum?table=nope", token: session.token)
        #expect(unknown.status == 404)
    }

    @Test func aPullPageStopsAtItsByteBudgetAndLosesNothing() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let session = try await server.login("sz-agent")
        let principal = try #require(try await server.principal(token: session.token))
        let all = try await server.store.pullPage(for: principal, after: 0, limit: 5_000)
        #expect(all.entries.count > 10 && !all.hasMore)
        var seqs: [Int64] = []
        var cursor: Int64 = 0
        for _ in 0..<10_000 {
            let page = try await server.store.pullPage(for: principal, after: cursor, limit: 5_000, byteBudget: 2_000)
            #expect(!page.entries.isEmpty || !page.hasMore)
            let bytes = page.entries.reduce(0) { $0 + $1.fieldsJSON.utf8.count + $1.clocksJSON.utf8.count + 96 }
            #expect(page.entries.count == 1 || bytes <= 2_000)
            seqs += page.entries.map(\.seq)
            cursor = page.cursor
            if !page.hasMore { break }
        }
        #expect(seqs == all.entries.map(\.seq))
    }
}

extension TestServer {
    /// The principal behind a token, as the routes see it.
    func principal(token: String) async throws -> Principal? {
        if case .valid(let principal) = try await store.session(tokenHash: BearerToken.hash(token), now: Date()) {
            return principal
        }
        return nil
    }
}

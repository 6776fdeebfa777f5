import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage
import Testing

@testable import MemberCore
@testable import SyncServer

/// The message centre's scope: a member's messages reach that member's devices alone, a unit's
/// reach its clerks and not the agencies above it; only the recipient marks one read, and that
/// reaches their other devices.
@Suite struct MessageVisibilityTests {
    static func messages(_ server: TestServer, token: String) async throws -> [FeedEntry] {
        try await MemberViewTests.pullAll(server, token: token).filter { $0.table == SyncTable.message.name }
    }

    static func messages(_ server: TestServer, _ login: String) async throws -> [FeedEntry] {
        try await messages(server, token: try await server.login(login).token)
    }

    static func checksumIds(_ server: TestServer, token: String) async throws -> [String] {
        try await server.api(token: token).get(
            "/v1/sync/checksum", query: [("table", "message"), ("limit", "5000")], as: ChecksumPage.self
        ).records.map(\.id)
    }

    static func storedCount(_ server: TestServer) async throws -> Int {
        try await server.store.database.read { db in try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM message") }
            ?? -1
    }

    @Test func aMembersMessageReachesThatMemberAloneAndOnlyTheyMarkItRead() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let claim = try await CaseActionTests.acceptedClaim(server)  // for 李娜 (unit-001), held by sz-agent
        let lina = try await server.login("lina")
        let mine = try await Self.messages(server, token: lina.token)
        #expect(mine.count == 1)
        let accepted = try #require(mine.first)
        #expect(accepted.fields["kind"] == .string("claim_accepted") && accepted.fields["subjectId"] == .string(claim))
        #expect(accepted.fields["read"] == .int(0))
        let number = try #require(accepted.fields["caseNumber"]?.stringValue)
        #expect(accepted.fields["text"]?.stringValue?.contains(number) == true)
        #expect(try await Self.checksumIds(server, token: lina.token) == [accepted.recordId])
        for login in ["zhangwei", "unit001", "sz-agent", "sl-agent", "office2602"] {
            let session = try await server.login(login)
            #expect(try await Self.messages(server, token: session.token).isEmpty, "\(login)")
            #expect(try await Self.checksumIds(server, token: session.token).isEmpty, "\(login)")
        }

        // A refused action writes no message: the claim is not in a review state yet.
        var agent = try await StaffDevice(server, login: "sz-agent", clientId: "sz-dev")
        let refused = try await agent.push([
            agent.action(claim, "supplement", ["items": .string(#"["bank-card"]"#), "note": .string("补充银行卡")])
        ])
        #expect(refused.first?.status == .rejected)
        #expect(try await Self.storedCount(server) == 1)

        // Nobody else may mark it read; its text is the server's; `read` is 0 or 1.
        var other = try await StaffDevice(server, login: "zhangwei", clientId: "zw-phone")
        let id = accepted.recordId
        let foreign = try await other.push([other.change("message", id, ["read": .int(1)])])
        #expect(foreign.first?.reason == "记录不存在或无权修改")
        let staff = try await agent.push([agent.change("message", id, ["read": .int(1)])])
        #expect(staff.first?.reason == "记录不存在或无权修改")
        var phone = StaffDevice(server, token: lina.token, clientId: "lina-phone")
        let answers = try await phone.push([
            phone.change("message", id, ["text": .string("改写")]), phone.change("message", id, ["read": .int(2)]),
            phone.change("message", id, ["read": .int(1)]),
        ])
        #expect(answers.map(\.status) == [.rejected, .rejected, .applied], "\(answers.map(\.reason))")
        #expect(answers[0].reason?.contains("由服务器维护") == true)

        // Her other device pulls it read.
        let tablet = try await StaffDevice(server, login: "lina", clientId: "lina-tablet")
        let pulled = try await tablet.pull().entries.filter { $0.recordId == id }
        #expect(pulled.last?.fields["read"] == .int(1))
        #expect(pulled.last?.fields["text"] == accepted.fields["text"])
    }

    @Test func aUnitsMessageReachesItsClerksButNotTheAgenciesAbove() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        // An agent registers a unit: it is approved at once and its clerks get the message.
        let agent = try await server.login("sz-agent")
        let approved = try await server.api(token: agent.token)
            .put(
                "/v1/registrations/\(UUID().uuidString.lowercased())", RegistrationTests.request(),
                as: RegistrationStatus.self)
        let login = try #require(approved.login)
        let sms = try #require(await server.store.smsMessages().last?.text)
        let initial = String(sms[sms.range(of: "初始密码：")!.upperBound...].prefix { $0 != "。" })
        let first = try await server.api().post(
            "/v1/auth/login", LoginRequest(login: login, password: initial), as: LoginResponse.self)
        let change = try JSONEncoder().encode(
            PasswordChangeRequest(currentPassword: initial, newPassword: "Better2026x"))
        #expect(try await server.raw("POST", "/v1/auth/password", token: first.token, body: change).status == 200)
        let clerk = try await Self.messages(server, token: first.token)
        #expect(clerk.map { $0.fields["kind"] } == [FieldValue.string("registration_approved")])
        #expect(clerk.first?.fields["text"]?.stringValue?.contains(login) == true)
        #expect(clerk.first?.fields["caseNumber"] == FieldValue.null)

        // One to unit-001 (as an enrolment step sends): its clerk only, not its members or agencies.
        let unitPath = try await server.store.database.read { db in
            try db.fetchValue(String.self, sql: "SELECT path FROM org WHERE id = 'unit-001'")
        }
        try await server.store.database.write { db in
            try MessageBox.send(
                Messages.paymentReturned(application: nil, note: "款项未到账"), toOrg: try #require(unitPath),
                about: "app-1", now: Date(), db)
        }
        let unit001 = try await server.login("unit001")
        let theirs = try await Self.messages(server, token: unit001.token)
        #expect(theirs.map { $0.fields["kind"] } == [FieldValue.string("enrolment_returned")])
        #expect(try await Self.checksumIds(server, token: unit001.token) == theirs.map(\.recordId))
        for login in ["sz-agent", "sl-agent", "office2602", "finance2602", "unit002", "lina", "zhangwei"] {
            let session = try await server.login(login)
            #expect(try await Self.messages(server, token: session.token).isEmpty, "\(login)")
            #expect(try await Self.checksumIds(server, token: session.token).isEmpty, "\(login)")
        }
        // The agency above cannot mark it read; the clerk can.
        let id = try #require(theirs.first?.recordId)
        var agency = StaffDevice(server, token: agent.token, clientId: "sz-dev")
        #expect(try await agency.push([agency.change("message", id, ["read": .int(1)])]).first?.status == .rejected)
        var desk = StaffDevice(server, token: unit001.token, clientId: "unit-desk")
        #expect(try await desk.push([desk.change("message", id, ["read": .int(1)])]).first?.status == .applied)
    }
}

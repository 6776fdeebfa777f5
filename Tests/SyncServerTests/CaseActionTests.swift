import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage
import Testing

@testable import MemberCore
@testable import SyncServer

/// Staff actions arrive through push; the server refuses, with a reason, what the workflow or
/// the organisation tree does not allow, and changes nothing then.
@Suite struct CaseActionTests {
    static func action(_ n: Int, client: String, claim: String, _ name: String, _ extra: FieldMap = [:]) -> Change {
        var fields: FieldMap = ["claimId": .string(claim), "action": .string(name)]
        fields.merge(extra) { _, new in new }
        return Change(
            changeId: "\(client):\(n)", table: "case_action", recordId: UUID().uuidString.lowercased(), op: .upsert,
            fields: fields,
            hlc: HLCTimestamp(millis: Int64(Date().timeIntervalSince1970 * 1000), counter: n, node: client).description)
    }

    /// A member claim accepted into first review (materials omitted: none are required for the
    /// check the tests make), returned with its id.
    static func acceptedClaim(_ server: TestServer, clientId: String = "agent-dev") async throws -> String {
        var agent = try await StaffDevice(server, login: "sz-agent", clientId: clientId)
        let claim = newClaim(&agent)
        let answer = try await agent.push([claim])
        #expect(answer.first?.status == .applied, "\(answer.first?.reason ?? "")")
        return claim.recordId
    }

    /// A hospitalization claim on an enrolment (member m-002's by default): filed by staff it is
    /// accepted at once, so the server gives it a case number; filed by a member it is a draft.
    static func newClaim(_ device: inout StaffDevice, enrolment: String = "e-m-002-1") -> Change {
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
        return device.change(
            "claim", UUID().uuidString.lowercased(),
            [
                "claimType": .string("hospitalization"), "enrolmentId": .string(enrolment),
                "standardIds": .string(#"["std-staff-med"]"#),
                "admitted": .string(today.adding(days: -5).description),
                "discharged": .string(today.adding(days: -1).description),
            ])
    }

    @Test func actionsOutsideTheSubtreeOrTheWorkflowAreRefused() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        _ = try await server.store.addAccount(
            NewAccount(
                login: "ln-agent", role: .agent, orgId: "sl-ln", name: "洛南经办",
                memberId: nil, passwordHash: try TestServer.hasher.hash("password-ln")),
            now: Date())
        let claim = try await Self.acceptedClaim(server)
        let state = {
            try await server.store.database.read { db in
                try db.fetchOne(sql: "SELECT state, holder_login FROM claim WHERE id = ?", arguments: [claim])
            }
        }
        let before = try await state()
        #expect(try (before?["state"] as String?) == "accepted")

        let outsider = try await server.api().post(
            "/v1/auth/login", LoginRequest(login: "ln-agent", password: "password-ln"),
            as: LoginResponse.self)
        let foreign = try await server.api(token: outsider.token).post(
            "/v1/sync/push",
            PushRequest(
                clientId: "ln",
                changes: [
                    Self.action(1, client: "ln", claim: claim, "acquire")
                ]), as: PushResponse.self)
        #expect(foreign.results.first?.status == .rejected)
        #expect(foreign.results.first?.reason == "记录不存在或无权修改")

        let agent = try await server.login("sz-agent")
        let illegal = try await server.api(token: agent.token).post(
            "/v1/sync/push",
            PushRequest(
                clientId: "sz",
                changes: [
                    Self.action(1, client: "sz", claim: claim, "archive", ["archiveNumber": .string("A-1")]),
                    Self.action(2, client: "sz", claim: claim, "pay", ["reference": .string("R")]),
                    Self.action(3, client: "sz", claim: claim, "review", ["decision": .string("pass")]),
                    Self.action(4, client: "sz", claim: claim, "fly-to-the-moon"),
                ]), as: PushResponse.self)
        #expect(illegal.results.map(\.status) == [.rejected, .rejected, .rejected, .rejected])
        #expect(illegal.results[0].reason?.contains("不能执行「材料归档」") == true)
        #expect(illegal.results[3].reason?.contains("不认识的案件操作") == true)
        let member = try await server.login("lina")
        let byMember = try await server.api(token: member.token).post(
            "/v1/sync/push",
            PushRequest(
                clientId: "m",
                changes: [
                    Self.action(1, client: "m", claim: claim, "release")
                ]), as: PushResponse.self)
        #expect(byMember.results.first?.reason == "会员不能办理案件")
        let after = try await state()
        #expect(try (after?["state"] as String?) == (before?["state"] as String?))
        #expect(try (after?["holder_login"] as String?) == (before?["holder_login"] as String?))
        let audits = try await server.store.database.read { db in
            try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM case_action")
        }
        #expect(audits == 0)  // refused actions leave no audit row, only their refusal
    }

    @Test func theServerRecomputesWithTheSharedEngine() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let claim = try await Self.acceptedClaim(server)
        let agent = try await server.login("sz-agent")
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
        let sheet = Change(
            changeId: "sz:1", table: "settlement_sheet", recordId: UUID().uuidString.lowercased(), op: .upsert,
            fields: [
                "claimId": .string(claim), "hospital": .string("医院"),
                "admitted": .string(today.adding(days: -5).description),
                "discharged": .string(today.adding(days: -1).description),
                "inScope": .string("1728.59"), "pooled": .string("1015.73"), "deductible": .string("600.00"),
                "largeAmount": .string("0.00"),
            ],
            hlc: HLCTimestamp(millis: Int64(Date().timeIntervalSince1970 * 1000), counter: 9, node: "sz").description)
        let answer = try await server.api(token: agent.token).post(
            "/v1/sync/push",
            PushRequest(
                clientId: "sz",
                changes: [
                    sheet, Self.action(2, client: "sz", claim: claim, "calculate"),
                ]), as: PushResponse.self)
        #expect(answer.results.map(\.status) == [.applied, .applied], "\(answer.results.map(\.reason))")
        let stored = try await server.store.database.read { db in
            (
                try db.fetchValue(String.self, sql: "SELECT amount FROM claim WHERE id = ?", arguments: [claim]),
                try db.fetchOne(
                    sql: "SELECT base_amount, benefit, ratio_bp, base_days FROM benefit_line WHERE claim_id = ?",
                    arguments: [claim])
            )
        }
        #expect(stored.0 == "79.00")
        #expect(try stored.1?["base_amount"] == "112.86")
        #expect(try stored.1?["benefit"] == "79.00")
        #expect(try stored.1?["ratio_bp"] == 7000)
        #expect(try stored.1?["base_days"] == 4)
    }
}

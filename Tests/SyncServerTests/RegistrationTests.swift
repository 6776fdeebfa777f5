import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage
import Testing

@testable import MemberCore
@testable import SyncServer

/// `PUT /v1/registrations/{id}` at the HTTP level: idempotent by id and content, clear refusals
/// that change nothing, and the initial password that must be changed before anything else.
@Suite struct RegistrationTests {
    static func uscc(_ first17: String) -> String {
        first17 + String(UnifiedSocialCreditCode.checkCharacter(for: first17)!)
    }

    static func request(code: String = uscc("91611002MA6Y00550"), photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
        -> RegistrationRequest
    {
        let form = UnitRegistrationForm(
            officeId: "2602", agencyId: "sl-sz", name: "商州区测试企业", nature: "企业", certType: "统一社会信用代码证", certExpiry: nil,
            code: code, unionName: "商州区测试企业工会", unionCode: uscc("81611002MC0000550"), industry: nil, parentUnit: nil,
            region: "陕西省-商洛市-商州区", address: "测试路 1 号",
            contact: UnitContactForm(
                name: "测试", position: nil, officePhone: "0914-2300550", mobile: "13900000550", email: "t@example.com"))
        return RegistrationRequest(
            form: form, licence: Data(photo).base64EncodedString(), unionCertificate: Data(photo).base64EncodedString())
    }

    func count(_ server: TestServer, _ table: String) async throws -> Int {
        try await server.store.database.read { db in
            try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM \(table)") ?? -1
        }
    }

    @Test func theSameRegistrationTwiceIsOneRegistration() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let id = UUID().uuidString.lowercased()
        let body = try JSONEncoder().encode(Self.request())
        let first = try await server.raw("PUT", "/v1/registrations/\(id)", body: body)
        let again = try await server.raw("PUT", "/v1/registrations/\(id)", body: body)
        #expect(first.status == 200 && again.status == 200)
        #expect(
            try JSONDecoder().decode(RegistrationStatus.self, from: first.body)
                == JSONDecoder().decode(RegistrationStatus.self, from: again.body))
        #expect(try await count(server, "unit_registration") == 1)
        // Other content under a used id, a second id for a pending code: refused, nothing added.
        let other = try await server.raw(
            "PUT", "/v1/registrations/\(id)",
            body: try JSONEncoder().encode(Self.request(code: Self.uscc("91611002MA6Y00551"))))
        #expect(other.status == 409)
        let pending = try await server.raw("PUT", "/v1/registrations/\(UUID().uuidString.lowercased())", body: body)
        #expect(pending.status == 409 && String(decoding: pending.body, as: UTF8.self).contains("待审核"))
        #expect(try await count(server, "unit_registration") == 1)
        let status = try await server.raw("GET", "/v1/registrations/\(id)")
        #expect(try JSONDecoder().decode(RegistrationStatus.self, from: status.body).state == "submitted")
        #expect(try await server.raw("GET", "/v1/registrations/nope").status == 404)
        // The photos: for the agents over the agency, nobody else.
        let agent = try await server.login("sz-agent")
        let otherCounty = try await server.login("wangfang")
        let photo = try await server.raw("GET", "/v1/registrations/\(id)/licence", token: agent.token)
        #expect(photo.status == 200 && photo.body == Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]))
        #expect(try await server.raw("GET", "/v1/registrations/\(id)/licence", token: otherCounty.token).status == 404)
        #expect(try await server.raw("GET", "/v1/registrations/\(id)/passport", token: agent.token).status == 404)
        #expect(try await server.raw("GET", "/v1/registrations/\(id)/licence").status == 401)
    }

    @Test func badRegistrationsAreClientErrorsThatKeepNothing() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let before = try await count(server, "unit_registration") + count(server, "material_blob")
        let cases: [(RegistrationRequest, Int)] = [
            (Self.request(code: "91611002MA6Y005509"), 422),  // wrong check character
            (Self.request(photo: Array("%PDF-1.4".utf8)), 422),  // not a JPEG
            (Self.request(photo: [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 7, count: CertificateImage.maxBytes)), 422),
        ]
        for (request, status) in cases {
            let response = try await server.raw(
                "PUT", "/v1/registrations/\(UUID().uuidString.lowercased())",
                body: try JSONEncoder().encode(request))
            #expect(response.status == status, "\(String(decoding: response.body.prefix(200), as: UTF8.self))")
        }
        #expect(
            try await server.raw("PUT", "/v1/registrations/bad%20id", body: try JSONEncoder().encode(Self.request()))
                .status == 400)
        // A member's token is no agent's: refused.
        let member = try await server.login("zhangwei")
        #expect(
            try await server.raw(
                "PUT", "/v1/registrations/\(UUID().uuidString.lowercased())", token: member.token,
                body: try JSONEncoder().encode(Self.request())
            ).status == 403)
        #expect(try await count(server, "unit_registration") + count(server, "material_blob") == before)
    }

    @Test func anInitialPasswordOpensOnlyThePasswordChange() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.login("sz-agent")
        let approved = try await server.api(token: agent.token)
            .put("/v1/registrations/\(UUID().uuidString.lowercased())", Self.request(), as: RegistrationStatus.self)
        #expect(approved.state == "approved")
        let text = try #require(try await server.store.smsMessages().last?.text)
        let initial = String(text[text.range(of: "初始密码：")!.upperBound...].prefix { $0 != "。" })
        let session = try await server.api().post(
            "/v1/auth/login", LoginRequest(login: approved.login!, password: initial), as: LoginResponse.self)
        #expect(session.mustChangePassword)
        let pull = try await server.raw("GET", "/v1/sync/pull?cursor=0", token: session.token)
        #expect(pull.status == 403 && String(decoding: pull.body, as: UTF8.self).contains("password_change_required"))
        let weak = try JSONEncoder().encode(PasswordChangeRequest(currentPassword: initial, newPassword: "short"))
        #expect(try await server.raw("POST", "/v1/auth/password", token: session.token, body: weak).status == 422)
        let wrong = try JSONEncoder().encode(
            PasswordChangeRequest(currentPassword: "not-it-123", newPassword: "Better2026x"))
        #expect(try await server.raw("POST", "/v1/auth/password", token: session.token, body: wrong).status == 403)
        let good = try JSONEncoder().encode(PasswordChangeRequest(currentPassword: initial, newPassword: "Better2026x"))
        #expect(try await server.raw("POST", "/v1/auth/password", token: session.token, body: good).status == 200)
        #expect(try await server.raw("GET", "/v1/sync/pull?cursor=0", token: session.token).status == 200)
    }
}

import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage
import Testing

@testable import MemberCore
@testable import SyncServer

@Suite struct AuthTests {
    @Test func loginGivesAnOpaqueTokenStoredOnlyHashed() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let response = try await server.login("zhangwei")
        #expect(response.account.role == .member)
        #expect(response.account.memberId != nil)
        let stored = try await server.store.database.read { db in
            try db.fetchValues(String.self, sql: "SELECT token_hash FROM session")
        }
        #expect(stored == [BearerToken.hash(response.token)])
        #expect(!stored.contains(response.token))
        let hashes = try await server.store.database.read { db in
            try db.fetchValues(String.self, sql: "SELECT password_hash FROM account")
        }
        #expect(hashes.allSatisfy { $0.hasPrefix("scrypt$") })
        let me = try await server.api(token: response.token).get("/v1/me", as: AccountInfo.self)
        #expect(me.login == "zhangwei")
    }

    /// Wrong passwords make this address wait (429, Retry-After), not the account: the right
    /// password from another address still logs in.
    @Test func wrongPasswordsBackOffTheAddressNotTheAccount() async throws {
        let server = try await TestServer.start {
            $0.throttle.freeFailures = 3
            $0.throttle.baseDelay = 600
        }
        defer { Task { await server.stop() } }
        let bad = try JSONEncoder().encode(LoginRequest(login: "lina", password: "wrong-password"))
        var statuses: [Int] = []
        for _ in 0..<4 { statuses.append(try await server.raw("POST", "/v1/auth/login", body: bad).status) }
        #expect(statuses == [401, 401, 401, 429])
        let good = try JSONEncoder().encode(LoginRequest(login: "lina", password: server.password("lina")))
        let waiting = try await server.raw("POST", "/v1/auth/login", body: good)
        #expect(waiting.status == 429)
        // The wait counts down from the third failure; a loaded machine may take a second to answer.
        #expect(waiting.header("retry-after").flatMap(Int.init).map { (590...600).contains($0) } == true)
        #expect(try JSONDecoder().decode(APIErrorBody.self, from: waiting.body).error.code == "login_backoff")
        #expect(try await server.raw("POST", "/v1/auth/login", body: good, from: "127.0.0.2").status == 200)
        let unknown = try await server.raw(
            "POST", "/v1/auth/login",
            body: try JSONEncoder().encode(LoginRequest(login: "nobody", password: "x")))
        #expect(unknown.status == 401)
    }

    @Test(arguments: [
        ("GET", "/v1/me"), ("POST", "/v1/auth/logout"), ("POST", "/v1/sync/push"),
        ("GET", "/v1/sync/pull"), ("GET", "/v1/sync/checksum"),
    ])
    func everyProtectedRouteAnswers401(_ method: String, _ path: String) async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let valid = try await server.login("zhangwei")
        let expired = BearerToken.make()
        try await server.store.createSession(
            tokenHash: BearerToken.hash(expired), accountId: valid.account.id,
            expiresAt: Date().addingTimeInterval(-60), clientId: nil, address: nil,
            now: Date().addingTimeInterval(-120))
        let body = method == "POST" ? Data("{}".utf8) : nil
        for token in [nil, "forged-\(BearerToken.make())", expired] {
            let response = try await server.raw(method, path, token: token, body: body)
            #expect(response.status == 401, "\(method) \(path) token=\(token == nil ? "none" : "bad")")
            let error = try JSONDecoder().decode(APIErrorBody.self, from: response.body)
            #expect(!error.error.message.isEmpty)
        }
    }

    @Test func logoutEndsTheSession() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let session = try await server.login("zhangwei")
        #expect(
            try await server.raw("POST", "/v1/auth/logout", token: session.token, body: Data("{}".utf8)).status == 200)
        #expect(try await server.raw("GET", "/v1/me", token: session.token).status == 401)
    }

    @Test func passwordHashesVerifyOnlyTheRightPassword() throws {
        let hasher = TestServer.hasher
        let hash = try hasher.hash("correct horse")
        #expect(hasher.verify("correct horse", against: hash))
        #expect(!hasher.verify("correct horsE", against: hash))
        #expect(!hasher.verify("correct horse", against: "scrypt$99$8$1$AAAA$AAAA"))
        #expect(try hasher.hash("correct horse") != hash)  // salted
    }
}

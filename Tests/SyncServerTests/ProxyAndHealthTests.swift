import Foundation
import PostgresStorage
import SyncProtocol
import TestSupport
import Testing

@testable import MemberCore
@testable import SyncServer

/// Behind a load balancer: readiness apart from liveness, and the client address a trusted
/// proxy forwards (issue 12, items 6 and 8).
@Suite struct ProxyAndHealthTests {
    @Test func readinessSaysWhetherTheDatabaseAnswersAndLivenessOnlyThatTheProcessRuns() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let ready = try await server.raw("GET", "/v1/health", headers: [])
        #expect(ready.status == 200)
        let health = try JSONDecoder().decode(HealthResponse.self, from: ready.body)
        #expect(health.status == "ok" && health.database == "ok")
        let live = try await server.raw("GET", "/v1/health/live", headers: [])
        #expect(live.status == 200 && String(decoding: live.body, as: UTF8.self).contains("ok"))
        #expect(await server.store.isReachable())
        // A store whose database is gone (nothing listens on port 1) is not ready.
        let gone = SQLCaseStore(
            database: PostgresDatabase(url: try PostgresURL("postgres://postgres@127.0.0.1:1/none")))
        #expect(await gone.isReachable() == false)
    }

    /// A wrong password through a trusted proxy counts against the address it forwards; from any
    /// other peer the header is ignored (a client cannot pick its own key).
    @Test func aTrustedProxyNamesTheClientAndOthersCannot() async throws {
        let server = try await TestServer.start { $0.trustedProxies = ["127.0.0.1"] }
        defer { Task { await server.stop() } }
        let wrong = try JSONEncoder().encode(LoginRequest(login: "zhangwei", password: "wrong-password-1"))
        func attempt(from peer: String, forwarded: String) async throws -> Int {
            try await server.raw(
                "POST", "/v1/auth/login", body: wrong,
                headers: [("Content-Type", "application/json"), ("X-Forwarded-For", forwarded)], from: peer
            ).status
        }
        #expect(try await attempt(from: "127.0.0.1", forwarded: "10.9.9.9, 203.0.113.7") == 401)
        #expect(try await attempt(from: "127.0.0.4", forwarded: "198.51.100.9") == 401)
        let keys = try await server.store.database.read { db in
            try db.fetchValues(String.self, sql: "SELECT key FROM login_backoff")
        }
        #expect(keys.contains(LoginThrottle.keys(login: "zhangwei", address: "203.0.113.7").address))
        #expect(keys.contains(LoginThrottle.keys(login: "zhangwei", address: "127.0.0.4").address))
        #expect(!keys.contains(LoginThrottle.keys(login: "zhangwei", address: "198.51.100.9").address))
        #expect(!keys.contains(LoginThrottle.keys(login: "zhangwei", address: "10.9.9.9").address))
        #expect(!keys.contains(LoginThrottle.keys(login: "zhangwei", address: "127.0.0.1").address))
    }
}

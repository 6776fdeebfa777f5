import Foundation
import MutualAidDomain
import SyncProtocol
import Testing

@testable import MemberCore
@testable import SyncServer

/// Client mistakes get a 4xx with a JSON error, the store stays as it was, and the server
/// keeps serving.
@Suite struct BadInputTests {
    @Test func refusedRequestsChangeNothing() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let session = try await server.login("zhangwei")
        let me = session.account.memberId!
        let token = session.token
        let before = try await server.storeFingerprint()
        let json = [("Content-Type", "application/json")]
        let v1 = json + [(ProtocolVersion.header, "1")]
        func push(_ changes: Int, version: Int = 1) throws -> Data {
            try JSONEncoder().encode(
                PushRequest(
                    protocolVersion: version, clientId: "dev",
                    changes: (0..<changes).map {
                        Change(
                            changeId: "dev:\($0)", table: "profile", recordId: me, op: .upsert,
                            fields: ["mobile": .string("13912345678")], hlc: "0000000000000001-00000-dev")
                    }))
        }
        let bomb = try Gzip.compress(Data(repeating: 0x20, count: 40 * 1024 * 1024))
        let cases:
            [(name: String, headers: [(String, String)], body: Data?, method: String, path: String, status: Int)] = [
                ("malformed JSON", v1, Data("{\"clientId\": ".utf8), "POST", "/v1/sync/push", 400),
                ("not JSON at all", v1, Data("hello".utf8), "POST", "/v1/sync/push", 400),
                (
                    "wrong types", v1, Data(#"{"protocolVersion":"one","clientId":7,"changes":{}}"#.utf8), "POST",
                    "/v1/sync/push", 400
                ),
                ("missing key", v1, Data(#"{"protocolVersion":1,"changes":[]}"#.utf8), "POST", "/v1/sync/push", 400),
                (
                    "bad field value", v1,
                    Data(
                        #"{"protocolVersion":1,"clientId":"dev","changes":[{"changeId":"dev:1","table":"profile","recordId":"x","op":"upsert","fields":{"mobile":[1]},"hlc":"x"}]}"#
                            .utf8), "POST", "/v1/sync/push", 400
                ),
                (
                    "foreign change id", v1, try push(1).replacing(Data("dev:0".utf8), with: Data("other:0".utf8)),
                    "POST", "/v1/sync/push", 400
                ),
                (
                    "old protocol header", json + [(ProtocolVersion.header, "0")], try push(1), "POST", "/v1/sync/push",
                    426
                ),
                (
                    "future protocol header", json + [(ProtocolVersion.header, "99")], try push(1), "POST",
                    "/v1/sync/push", 400
                ),
                ("no protocol header", json, try push(1), "POST", "/v1/sync/push", 400),
                ("old protocol in body", v1, try push(1, version: 0), "POST", "/v1/sync/push", 426),
                ("oversized batch", v1, try push(ProtocolVersion.maxChangesPerPush + 1), "POST", "/v1/sync/push", 413),
                (
                    "oversized body", v1, Data(repeating: 0x20, count: ProtocolVersion.maxBodyBytes + 1), "POST",
                    "/v1/sync/push", 413
                ),
                ("gzip bomb", v1 + [("Content-Encoding", "gzip")], bomb, "POST", "/v1/sync/push", 413),
                (
                    "corrupt gzip", v1 + [("Content-Encoding", "gzip")], Data([0x1f, 0x8b, 0, 1, 2]), "POST",
                    "/v1/sync/push", 400
                ),
                (
                    "wrong content type", [("Content-Type", "text/plain"), (ProtocolVersion.header, "1")], try push(1),
                    "POST", "/v1/sync/push", 415
                ),
                ("negative cursor", v1, nil, "GET", "/v1/sync/pull?after=-1", 400),
                ("huge page", v1, nil, "GET", "/v1/sync/pull?limit=999999", 400),
                ("unknown route", v1, nil, "GET", "/v1/nothing-here", 404),
                // Hummingbird answers an unrouted method as not found.
                ("wrong method", v1, nil, "GET", "/v1/sync/push", 404),
                (
                    "login with wrong types", json, Data(#"{"login":1,"password":true}"#.utf8), "POST",
                    "/v1/auth/login", 400
                ),
            ]
        for c in cases {
            let response = try await server.raw(c.method, c.path, token: token, body: c.body, headers: c.headers)
            #expect(response.status == c.status, "\(c.name)")
            let error = try? JSONDecoder().decode(APIErrorBody.self, from: response.body)
            #expect(error != nil && !(error?.error.message.isEmpty ?? true), "\(c.name): JSON error body")
        }
        #expect(try await server.storeFingerprint() == before)
        #expect(try await server.raw("GET", "/v1/health").status == 200)
        let ok = try await server.raw("POST", "/v1/sync/push", token: token, body: try push(1), headers: v1)
        #expect(ok.status == 200)
    }

    @Test func gzipBodiesAndResponsesAreUnderstood() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let session = try await server.login("zhangwei")
        let body = try JSONEncoder().encode(
            PushRequest(
                clientId: "dev",
                changes: [
                    Change(
                        changeId: "dev:1", table: "profile", recordId: session.account.memberId!, op: .upsert,
                        fields: ["bankName": .string(String(repeating: "银", count: 40))],
                        hlc: HLCTimestamp(
                            millis: Int64(Date().timeIntervalSince1970 * 1000) + 1, counter: 0, node: "dev"
                        ).description)
                ]))
        let response = try await server.raw(
            "POST", "/v1/sync/push", token: session.token, body: try Gzip.compress(body),
            headers: [
                ("Content-Type", "application/json"), ("Content-Encoding", "gzip"),
                (ProtocolVersion.header, "1"),
            ])
        #expect(response.status == 200)
        #expect(try JSONDecoder().decode(PushResponse.self, from: response.body).results.first?.status == .applied)
    }
}

extension Data {
    func replacing(_ a: Data, with b: Data) -> Data {
        guard let r = range(of: a) else { return self }
        var copy = self
        copy.replaceSubrange(r, with: b)
        return copy
    }
}

import Crypto
import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage
import Testing

@testable import MemberCore
@testable import SyncServer

/// The tus upload endpoints over real TLS: checksums, offsets, and who may touch an upload.
@Suite struct UploadTests {
    struct Registered {
        var claimId: String
        var materialId: String
        var data: Data
        var sha: String
    }

    /// A claim draft and one material recorded through a push, as a member's client does it.
    static func register(_ server: TestServer, _ session: LoginResponse, bytes: Int = 300_000) async throws
        -> Registered
    {
        var data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        data.append(Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
        let sha = RecordDigest.hex(SHA256.hash(data: data))
        let claimId = UUID().uuidString.lowercased()
        let materialId = UUID().uuidString.lowercased()
        let hlc = HLCTimestamp(millis: Int64(Date().timeIntervalSince1970 * 1000), counter: 0, node: "dev").description
        let push = PushRequest(
            clientId: "dev",
            changes: [
                Change(
                    changeId: "dev:1", table: "claim", recordId: claimId, op: .upsert,
                    fields: ["claimType": .string("hospitalization")], hlc: hlc),
                Change(
                    changeId: "dev:2", table: "claim_material", recordId: materialId, op: .upsert,
                    fields: [
                        "claimId": .string(claimId), "item": .string("id-card"), "sha256": .string(sha),
                        "bytes": .int(Int64(data.count)), "contentType": .string("image/png"),
                    ], hlc: hlc),
            ])
        let answer = try await server.api(token: session.token).post("/v1/sync/push", push, as: PushResponse.self)
        #expect(answer.results.map(\.status) == [.applied, .applied], "\(answer.results.map(\.reason))")
        return Registered(claimId: claimId, materialId: materialId, data: data, sha: sha)
    }

    static let tus = [("Tus-Resumable", "1.0.0")]

    static func create(_ server: TestServer, _ token: String, _ r: Registered) async throws -> HTTPResponse {
        let metadata =
            "materialId \(Data(r.materialId.utf8).base64EncodedString()),sha256 \(Data(r.sha.utf8).base64EncodedString())"
        return try await server.raw(
            "POST", "/v1/uploads", token: token, body: Data(),
            headers: tus + [("Upload-Length", String(r.data.count)), ("Upload-Metadata", metadata)])
    }

    @Test func optionsAdvertisesTheProtocol() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let response = try await server.raw("OPTIONS", "/v1/uploads", headers: [])
        #expect(response.status == 204)
        #expect(response.header("tus-version") == "1.0.0")
        #expect(response.header("tus-extension") == "creation,creation-with-upload,checksum,termination,expiration")
        #expect(response.header("tus-max-size") == String(10 * 1024 * 1024))
        #expect(response.header("tus-checksum-algorithm") == "sha1,sha256,md5")
    }

    @Test func aChunkWithAWrongChecksumIsRefusedAndTheOffsetStays() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let session = try await server.login("zhangwei")
        let r = try await Self.register(server, session)
        let created = try await Self.create(server, session.token, r)
        #expect(created.status == 201)
        let location = try #require(created.header("location"))
        let first = r.data.prefix(100_000)
        let bad = try await UploadFixtures.patch(
            server, session.token, location, offset: 0, Data(first),
            checksum: UploadFixtures.checksum("sha256", Data("other".utf8)))
        #expect(bad.status == 460)
        let head = try await server.raw("HEAD", location, token: session.token, headers: Self.tus)
        #expect(head.header("upload-offset") == "0")
        #expect(head.header("upload-length") == String(r.data.count))

        var offset = 0
        while offset < r.data.count {
            let chunk = r.data.subdata(in: offset..<min(r.data.count, offset + 100_000))
            let ok = try await UploadFixtures.patch(server, session.token, location, offset: offset, chunk)
            #expect(ok.status == 204)
            offset = Int(ok.header("upload-offset") ?? "") ?? -1
        }
        let stale = try await UploadFixtures.patch(server, session.token, location, offset: 0, Data(first))
        #expect(stale.status == 404)  // finished uploads are gone; the material is verified
        let verified = try await server.store.database.read { db in
            try db.fetchValue(
                Int.self, sql: "SELECT verified FROM claim_material WHERE id = ?", arguments: [r.materialId])
        }
        #expect(verified == 1)
        #expect(try await BlobFixtures.content(server, r.sha) == r.data)
        let fetched = try await server.raw("GET", "/v1/materials/\(r.materialId)", token: session.token, headers: [])
        #expect(fetched.status == 200 && fetched.body == r.data)
    }

    @Test func anOffsetMismatchOrAWrongLengthIsRefused() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let session = try await server.login("zhangwei")
        let r = try await Self.register(server, session)
        var lying = r
        lying.data.append(0)
        #expect(try await Self.create(server, session.token, lying).status == 400)
        let location = try #require(try await Self.create(server, session.token, r).header("location"))
        #expect(
            try await UploadFixtures.patch(server, session.token, location, offset: 5, Data(r.data.prefix(10))).status
                == 409)
        let noTus = try await server.raw("HEAD", location, token: session.token, headers: [])
        #expect(noTus.status == 412)
        let tooMuch = try await UploadFixtures.patch(
            server, session.token, location, offset: 0, r.data + Data([1, 2, 3]))
        #expect(tooMuch.status == 413)
        let head = try await server.raw("HEAD", location, token: session.token, headers: Self.tus)
        #expect(head.header("upload-offset") == "0")
    }

    @Test func anotherMemberCannotTouchUploadsMaterialsOrClaims() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let b = try await server.login("lina")
        let r = try await Self.register(server, a)
        let location = try #require(try await Self.create(server, a.token, r).header("location"))
        _ = try await UploadFixtures.patch(server, a.token, location, offset: 0, r.data.prefix(1000))

        #expect(try await server.raw("HEAD", location, token: b.token, headers: Self.tus).status == 404)
        #expect(
            try await UploadFixtures.patch(server, b.token, location, offset: 1000, r.data.subdata(in: 1000..<2000))
                .status == 404
        )
        #expect(try await server.raw("DELETE", location, token: b.token, headers: Self.tus).status == 404)
        #expect(try await Self.create(server, b.token, r).status == 404)  // B cannot upload into A's material
        #expect(try await server.raw("HEAD", location, token: nil, headers: Self.tus).status == 401)
        #expect(
            try await server.raw("HEAD", location, token: a.token, headers: Self.tus).header("upload-offset") == "1000")

        let bPull = try await server.api(token: b.token).get("/v1/sync/pull", as: PullResponse.self)
        #expect(!bPull.changes.contains { $0.recordId == r.claimId || $0.recordId == r.materialId })
        let bPush = PushRequest(
            clientId: "bdev",
            changes: [
                Change(
                    changeId: "bdev:1", table: "claim", recordId: r.claimId, op: .upsert,
                    fields: ["hospital": .string("x")],
                    hlc: HLCTimestamp(millis: Int64(Date().timeIntervalSince1970 * 1000), counter: 0, node: "bdev")
                        .description)
            ])
        #expect(
            try await server.api(token: b.token).post("/v1/sync/push", bPush, as: PushResponse.self).results.first?
                .status == .rejected)

        // Finish A's upload: B still cannot read A's material.
        _ = try await UploadFixtures.patch(
            server, a.token, location, offset: 1000, r.data.subdata(in: 1000..<r.data.count))
        #expect(try await server.raw("GET", "/v1/materials/\(r.materialId)", token: b.token, headers: []).status == 404)
        #expect(try await server.raw("GET", "/v1/materials/\(r.materialId)", token: a.token, headers: []).status == 200)
        #expect(try await server.raw("DELETE", location, token: a.token, headers: Self.tus).status == 404)

        let rb = try await Self.register(server, b)
        let lb = try #require(try await Self.create(server, b.token, rb).header("location"))
        #expect(try await UploadFixtures.patch(server, b.token, lb, offset: 0, rb.data).status == 204)
        let blobs = try await server.store.database.read { db in
            try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM material_blob")
        }
        #expect(rb.sha == r.sha && blobs == 1)
        #expect(
            try await server.raw("GET", "/v1/materials/\(rb.materialId)", token: b.token, headers: []).status == 200)
    }

    @Test func terminationRemovesTheUpload() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await Self.register(server, a)
        let location = try #require(try await Self.create(server, a.token, r).header("location"))
        #expect(try await server.raw("DELETE", location, token: a.token, headers: Self.tus).status == 204)
        #expect(try await server.raw("HEAD", location, token: a.token, headers: Self.tus).status == 404)
    }
}

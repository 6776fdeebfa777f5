import Foundation
import MutualAidDomain
import SyncProtocol
import Testing

@testable import MemberCore
@testable import SyncServer

/// tus creation-with-upload over real TLS: the whole file in the creating request verifies the
/// material with no upload left; a wrong file or a damaged body records nothing; part of the
/// file leaves an upload to resume.
@Suite struct UploadInCreationTests {
    typealias Registered = UploadTests.Registered

    static func createWithBody(
        _ server: TestServer, _ token: String, _ r: Registered, body: Data, checksum: String? = nil
    ) async throws -> HTTPResponse {
        let metadata =
            "materialId \(Data(r.materialId.utf8).base64EncodedString()),sha256 \(Data(r.sha.utf8).base64EncodedString())"
        return try await server.raw(
            "POST", "/v1/uploads", token: token, body: body,
            headers: UploadTests.tus + [
                ("Upload-Length", String(r.data.count)), ("Upload-Metadata", metadata),
                ("Content-Type", "application/offset+octet-stream"),
            ] + (checksum.map { [("Upload-Checksum", $0)] } ?? []))
    }

    static func openUploads(_ server: TestServer) async throws -> Int {
        try await server.store.database.read { db in try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM upload") }
            ?? -1
    }

    /// Files left where bodies are received (staged bodies, parts): `uploads` on the file
    /// store, `staging` on the database store.
    static func leftovers(_ server: TestServer) throws -> [String] {
        ["uploads", "staging"].flatMap { folder in
            let root = server.directory.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
            return (files?.allObjects as? [URL] ?? []).filter {
                (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
            }.map(\.lastPathComponent)
        }
    }

    @Test func theWholeFileInTheCreatingRequestVerifiesTheMaterialAndLeavesNoUpload() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await UploadTests.register(server, a)
        let created = try await Self.createWithBody(server, a.token, r, body: r.data)
        #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
        #expect(created.header("upload-offset") == String(r.data.count))
        #expect(created.header("tus-resumable") == "1.0.0")
        let location = try #require(created.header("location"))
        #expect(try await UploadFixtures.verified(server, r.materialId))
        #expect(try await Self.openUploads(server) == 0)
        #expect(try Self.leftovers(server).isEmpty)
        // Nothing is left to resume at the address, and the file is served as it was sent.
        #expect(try await server.raw("HEAD", location, token: a.token, headers: UploadTests.tus).status == 404)
        let served = try await server.raw("GET", "/v1/materials/\(r.materialId)", token: a.token, headers: [])
        #expect(served.status == 200 && served.body == r.data)
        // Sent again (a client that never saw the answer): already there, nothing changes.
        let feed = try await server.store.database.read { db in
            try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM change_feed") ?? 0
        }
        let again = try await Self.createWithBody(server, a.token, r, body: r.data)
        #expect(again.status == 409)
        #expect(String(decoding: again.body, as: UTF8.self).contains("already_uploaded"))
        let feedAfter = try await server.store.database.read { db in
            try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM change_feed") ?? 0
        }
        #expect(feedAfter == feed)
    }

    @Test func aWrongFileOrADamagedBodyRecordsNothing() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await UploadTests.register(server, a)
        var wrong = r.data
        wrong[wrong.count / 2] ^= 0xFF
        let mismatched = try await Self.createWithBody(server, a.token, r, body: wrong)
        #expect(mismatched.status == 460)
        #expect(String(decoding: mismatched.body, as: UTF8.self).contains("file_checksum_mismatch"))
        let damaged = try await Self.createWithBody(
            server, a.token, r, body: wrong, checksum: UploadFixtures.checksum("sha1", r.data))
        #expect(damaged.status == 460)
        #expect(String(decoding: damaged.body, as: UTF8.self).contains("\"checksum_mismatch\""))
        // Another member's material is refused before its body is read, the same as a missing one.
        let b = try await server.login("lina")
        let foreign = try await Self.createWithBody(server, b.token, r, body: r.data)
        #expect(foreign.status == 404)
        #expect(try await !UploadFixtures.verified(server, r.materialId))
        #expect(try await Self.openUploads(server) == 0)
        #expect(try Self.leftovers(server).isEmpty)
        #expect(
            try await server.store.database.read { db in
                try db.fetchValue(
                    Int.self, sql: "SELECT COUNT(*) FROM material_blob WHERE sha256 = ?", arguments: [r.sha])
            } == 0)
        // The right file still goes through afterwards.
        #expect(try await Self.createWithBody(server, a.token, r, body: r.data).status == 201)
        #expect(try await UploadFixtures.verified(server, r.materialId))
    }

    @Test func partOfTheFileInTheCreatingRequestLeavesAnUploadToResume() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await UploadTests.register(server, a)
        let first = r.data.prefix(100_000)
        let created = try await Self.createWithBody(
            server, a.token, r, body: first, checksum: UploadFixtures.checksum("md5", first))
        #expect(created.status == 201)
        #expect(created.header("upload-offset") == "100000")
        let location = try #require(created.header("location"))
        let head = try await server.raw("HEAD", location, token: a.token, headers: UploadTests.tus)
        #expect(head.header("upload-offset") == "100000")
        #expect(try await !UploadFixtures.verified(server, r.materialId))
        let rest = try await UploadFixtures.patch(
            server, a.token, location, offset: 100_000, r.data.suffix(from: 100_000))
        #expect(rest.status == 204)
        #expect(try await UploadFixtures.verified(server, r.materialId))
        #expect(try await Self.openUploads(server) == 0)
    }

    /// A part whose checksum fails does not leave the upload it created behind: the client never
    /// learned its address.
    @Test func aDamagedPartInTheCreatingRequestLeavesNoUpload() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await UploadTests.register(server, a)
        let first = r.data.prefix(100_000)
        let damaged = try await Self.createWithBody(
            server, a.token, r, body: first, checksum: UploadFixtures.checksum("sha256", r.data.prefix(99_999)))
        #expect(damaged.status == 460)
        #expect(try await Self.openUploads(server) == 0)
        #expect(try Self.leftovers(server).isEmpty)
    }
}

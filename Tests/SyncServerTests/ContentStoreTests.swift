import Crypto
import Foundation
import GRDB
import Logging
import MutualAidDomain
import SyncProtocol
import SyncStorage
import TestSupport
import Testing

@testable import MemberCore
@testable import SyncServer

/// The content store over HTTPS: read-only files served only when their bytes still match,
/// with the server's own content type; checksums, header numbers, limits and sweeps of tus.
@Suite struct ContentStoreTests {
    @Test func storedContentIsReadOnlyAndTamperedContentIsNeverServed() async throws {
        var rng = SplitMix64(seed: 0x0400)
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        // Registered as a PDF, but the bytes are a PNG: the server says what it sees.
        let r = try await UploadFixtures.register(
            server, a, data: UploadFixtures.png(70_000, &rng), client: "ro", contentType: "application/pdf")
        let location = try await UploadFixtures.location(server, a.token, r)
        #expect(try await UploadFixtures.patch(server, a.token, location, offset: 0, r.data).status == 204)
        #expect(try BlobFixtures.fileMode(server, r.sha) ?? 0o400 == 0o400)  // a stored file is read-only

        let fetched = try await server.raw("GET", "/v1/materials/\(r.materialId)", token: a.token, headers: [])
        #expect(fetched.status == 200 && fetched.body == r.data)
        #expect(fetched.header("content-type") == "image/png")
        #expect(fetched.header("content-disposition") == "attachment")
        #expect(fetched.header("x-content-type-options") == "nosniff")

        // Someone changes the stored bytes (same size): 500, and none of the bytes.
        var tampered = r.data
        tampered[1000] ^= 0xFF
        try await BlobFixtures.tamper(server, r.sha, with: tampered)
        let refused = try await server.raw("GET", "/v1/materials/\(r.materialId)", token: a.token, headers: [])
        #expect(refused.status == 500)
        #expect(refused.body.count < 1000 && String(decoding: refused.body, as: UTF8.self).contains("content_damaged"))
    }

    @Test func sha1AndMd5ChecksumsAreAcceptedAndAWrongOneIs460() async throws {
        var rng = SplitMix64(seed: 0x5A1)
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await UploadFixtures.register(server, a, data: UploadFixtures.png(90_000, &rng), client: "sums")
        let location = try await UploadFixtures.location(server, a.token, r)
        let first = r.data.prefix(30_000)
        let second = r.data.subdata(in: 30_000..<60_000)
        let third = r.data.subdata(in: 60_000..<r.data.count)
        #expect(
            try await UploadFixtures.patch(
                server, a.token, location, offset: 0, first, checksum: UploadFixtures.checksum("sha1", Data("x".utf8))
            ).status == 460)
        #expect(
            try await UploadFixtures.patch(
                server, a.token, location, offset: 0, first, checksum: UploadFixtures.checksum("md5", Data("x".utf8))
            ).status == 460)
        #expect(
            try await UploadFixtures.patch(server, a.token, location, offset: 0, first, checksum: "crc32 AAAAAA==")
                .status == 400)
        #expect(
            try await UploadFixtures.patch(
                server, a.token, location, offset: 0, first, checksum: "sha1 bm90IGEgZGlnZXN0"
            ).status == 400)
        #expect(
            try await UploadFixtures.patch(server, a.token, location, offset: 0, Data(first), algorithm: "sha1").status
                == 204)
        #expect(
            try await UploadFixtures.patch(server, a.token, location, offset: 30_000, second, algorithm: "md5").status
                == 204)
        #expect(
            try await UploadFixtures.patch(server, a.token, location, offset: 60_000, third, algorithm: "sha256").status
                == 204)
        #expect(try await UploadFixtures.verified(server, r.materialId))
    }

    /// A body that is the whole file is verified by the hash taken as it arrived (the client's
    /// SHA-256 checksum, or a hash of its own beside another algorithm or none): bytes that are
    /// not the registered file end the upload and nothing is stored.
    @Test func aWholeFileInOneBodyIsVerifiedAsItArrives() async throws {
        var rng = SplitMix64(seed: 0x3E1)
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await UploadFixtures.register(server, a, data: UploadFixtures.png(40_000, &rng), client: "whole")
        var other = r.data
        other[20_000] ^= 0xFF
        for checksum in [UploadFixtures.checksum("sha256", other), UploadFixtures.checksum("sha1", other), nil] {
            let location = try await UploadFixtures.location(server, a.token, r)
            let refused = try await UploadFixtures.patch(
                server, a.token, location, offset: 0, other, algorithm: nil, checksum: checksum)
            #expect(refused.status == 460, "\(checksum ?? "no checksum")")
            #expect(String(decoding: refused.body, as: UTF8.self).contains("file_checksum_mismatch"))
            #expect(try await server.raw("HEAD", location, token: a.token, headers: UploadTests.tus).status == 404)
        }
        #expect(try await !UploadFixtures.verified(server, r.materialId))
        #expect(try await !server.blobs.holds(r.sha, bytes: Int64(r.data.count)))

        let location = try await UploadFixtures.location(server, a.token, r)
        #expect(
            try await UploadFixtures.patch(server, a.token, location, offset: 0, r.data, algorithm: "sha1").status
                == 204)
        #expect(try await UploadFixtures.verified(server, r.materialId))
        let stored = try #require(try await server.blobs.content(r.sha))
        #expect(RecordDigest.hex(SHA256.hash(data: stored)) == r.sha)
    }

    /// A file sent in chunks is hashed whole after its last chunk, before it is recorded: bytes
    /// that are not the registered file (each chunk's own checksum right) end the upload, and
    /// neither content nor a part is left.
    @Test func aFileInChunksIsVerifiedWholeBeforeItIsStored() async throws {
        var rng = SplitMix64(seed: 0x3E2)
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await UploadFixtures.register(server, a, data: UploadFixtures.png(40_000, &rng), client: "chunks")
        var other = r.data
        other[30_000] ^= 0xFF
        let location = try await UploadFixtures.location(server, a.token, r)
        let uploadId = String(location.split(separator: "/").last ?? "")
        #expect(
            try await UploadFixtures.patch(server, a.token, location, offset: 0, other.prefix(25_000)).status == 204)
        let refused = try await UploadFixtures.patch(
            server, a.token, location, offset: 25_000, other.suffix(from: 25_000))
        #expect(refused.status == 460)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("file_checksum_mismatch"))
        #expect(try await server.raw("HEAD", location, token: a.token, headers: UploadTests.tus).status == 404)
        #expect(try await !UploadFixtures.verified(server, r.materialId))
        #expect(try await !server.blobs.holds(r.sha, bytes: Int64(r.data.count)))
        #expect(try await server.blobs.partLength(uploadId) == nil)
    }

    /// Upload-Expires in IMF-fixdate, written without a formatter: the same text as one.
    @Test func uploadExpiryDatesAreHTTPDates() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var rng = SplitMix64(seed: 0xDA7E)
        let instants =
            [0, 784_111_777, 951_782_400, 4_107_542_399, -86_401].map(Double.init)
            + (0..<200).map { _ in Double(rng.next() % 4_000_000_000) + 0.75 }
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(TusRoutes.httpDate(date) == formatter.string(from: date), "\(seconds)")
        }
        #expect(TusRoutes.httpDate(Date(timeIntervalSince1970: 784_111_777)) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test func headerNumbersAreDigitsThatFit() async throws {
        var rng = SplitMix64(seed: 0x1111)
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await UploadFixtures.register(server, a, data: UploadFixtures.png(10_000, &rng), client: "nums")
        let metadata =
            "materialId \(Data(r.materialId.utf8).base64EncodedString()),sha256 \(Data(r.sha.utf8).base64EncodedString())"
        for length in ["+\(r.data.count)", "-1", "99999999999999999999", "1e4", "0"] {
            let created = try await server.raw(
                "POST", "/v1/uploads", token: a.token, body: Data(),
                headers: UploadTests.tus + [("Upload-Length", length), ("Upload-Metadata", metadata)])
            #expect(created.status == 400, "Upload-Length \(length)")
        }
        let location = try await UploadFixtures.location(server, a.token, r)
        for offset in ["+0", "-0", "18446744073709551616", "0x0"] {
            let patched = try await server.raw(
                "PATCH", location, token: a.token, body: r.data,
                headers: UploadTests.tus + [
                    ("Content-Type", "application/offset+octet-stream"), ("Upload-Offset", offset),
                ])
            #expect(patched.status == 400, "Upload-Offset \(offset)")
        }
        #expect(
            try await server.raw("HEAD", location, token: a.token, headers: UploadTests.tus).header("upload-offset")
                == "0")
    }

    @Test func aMaterialHasAtMostThreeOpenUploadsAndExpiredPartsAreRemoved() async throws {
        var rng = SplitMix64(seed: 0x3333)
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await UploadFixtures.register(server, a, data: UploadFixtures.png(20_000, &rng), client: "cap")
        var locations: [String] = []
        for _ in 0..<3 { locations.append(try await UploadFixtures.location(server, a.token, r)) }
        let fourth = try await UploadTests.create(server, a.token, r)
        #expect(fourth.status == 429 && String(decoding: fourth.body, as: UTF8.self).contains("未完成的上传"))
        #expect(try await server.raw("DELETE", locations[2], token: a.token, headers: UploadTests.tus).status == 204)
        #expect(try await !BlobFixtures.hasPart(server, locations[2]))
        locations[2] = try await UploadFixtures.location(server, a.token, r)

        // The first one expires: its row and its part go at the next create.
        #expect(
            try await UploadFixtures.patch(server, a.token, locations[0], offset: 0, r.data.prefix(5000)).status == 204)
        #expect(try await BlobFixtures.hasPart(server, locations[0]))
        let id = String(locations[0].split(separator: "/").last!)
        try await server.store.database.write { db in
            try db.execute(
                sql: "UPDATE upload SET expires_at = ? WHERE id = ?",
                arguments: [Timestamp.format(Date().addingTimeInterval(-1)), id])
        }
        #expect(try await server.raw("HEAD", locations[0], token: a.token, headers: UploadTests.tus).status == 410)
        _ = try await UploadFixtures.location(server, a.token, r)
        #expect(try await !BlobFixtures.hasPart(server, locations[0]))
        #expect(try await server.raw("HEAD", locations[0], token: a.token, headers: UploadTests.tus).status == 404)
    }

    /// A deleted draft's material content is removed once the grace period (0 here) has passed;
    /// content still referred to stays.
    @Test func contentNothingRefersToIsRemovedAfterTheGracePeriod() async throws {
        var rng = SplitMix64(seed: 0x6C)
        let server = try await TestServer.start { $0.contentGrace = 0 }
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let gone = try await UploadFixtures.register(server, a, data: UploadFixtures.png(30_000, &rng), client: "gc1")
        let kept = try await UploadFixtures.register(server, a, data: UploadFixtures.png(30_000, &rng), client: "gc2")
        for r in [gone, kept] {
            let location = try await UploadFixtures.location(server, a.token, r)
            #expect(try await UploadFixtures.patch(server, a.token, location, offset: 0, r.data).status == 204)
        }
        let hlc = HLCTimestamp(millis: Int64(Date().timeIntervalSince1970 * 1000) + 1000, counter: 0, node: "gc1")
            .description
        let delete = PushRequest(
            clientId: "gc1",
            changes: [
                Change(
                    changeId: "gc1:3", table: "claim", recordId: gone.claimId,
                    op: .delete, fields: [:], hlc: hlc)
            ])
        let answer = try await server.api(token: a.token).post("/v1/sync/push", delete, as: PushResponse.self)
        #expect(answer.results.first?.status == .applied)
        let third = try await UploadFixtures.register(server, a, data: UploadFixtures.png(1000, &rng), client: "gc3")
        _ = try await UploadFixtures.location(server, a.token, third)  // a new upload runs the sweep
        #expect(try await !BlobFixtures.hasContent(server, gone.sha))
        #expect(try await BlobFixtures.hasContent(server, kept.sha))
        let rows = try await server.store.database.read { db in
            try db.fetchValues(String.self, sql: "SELECT sha256 FROM material_blob")
        }
        #expect(Set(rows) == [kept.sha])
        #expect(
            try await server.raw("GET", "/v1/materials/\(kept.materialId)", token: a.token, headers: []).body
                == kept.data)
    }

    /// Certificate photos are files of the content store; one still in the database (from
    /// before migration 0006) is served from there until it is moved out.
    @Test func registrationPhotosMoveToTheContentStore() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let id = UUID().uuidString.lowercased()
        let photo = Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
        #expect(
            try await server.raw(
                "PUT", "/v1/registrations/\(id)", body: try JSONEncoder().encode(RegistrationTests.request())
            ).status == 200)
        let sha = RecordDigest.hex(SHA256.hash(data: photo))
        #expect(try await BlobFixtures.content(server, sha) == photo)
        #expect(try BlobFixtures.fileMode(server, sha) ?? 0o400 == 0o400)
        #expect(
            try await server.store.database.read { db in
                try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM certificate_image")
            } == 0)
        // A refused registration (the same unit is already waiting) stores no photo at all.
        let otherPhoto: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 9, 9, 9]
        let refused = try await server.raw(
            "PUT", "/v1/registrations/\(UUID().uuidString.lowercased())",
            body: try JSONEncoder().encode(RegistrationTests.request(photo: otherPhoto)))
        #expect(refused.status == 409)
        #expect(try await !BlobFixtures.hasContent(server, RecordDigest.hex(SHA256.hash(data: Data(otherPhoto)))))
        let agent = try await server.login("sz-agent")
        let served = try await server.raw("GET", "/v1/registrations/\(id)/licence", token: agent.token)
        #expect(served.status == 200 && served.body == photo && served.header("content-type") == "image/jpeg")

        // As a database from before 0006 has it: the bytes in certificate_image, none stored.
        try await BlobFixtures.removeContent(server, sha)
        try await server.store.database.write { db in
            try db.execute(
                sql: "INSERT INTO certificate_image (sha256, content) VALUES (?, ?)", arguments: [sha, photo])
        }
        #expect(try await server.raw("GET", "/v1/registrations/\(id)/licence", token: agent.token).body == photo)
        try await ContentMaintenance.moveCertificatePhotos(store: server.store, content: server.blobs)
        #expect(
            try await server.store.database.read { db in
                try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM certificate_image")
            } == 0)
        #expect(try await BlobFixtures.content(server, sha) == photo)
        #expect(
            try await server.raw("GET", "/v1/registrations/\(id)/union-certificate", token: agent.token).body == photo)
    }

    /// What a killed server leaves behind is cleared at the next start; what is in use stays.
    @Test func startMaintenanceClearsLeftoversAndKeepsWhatIsInUse() async throws {
        var rng = SplitMix64(seed: 0x57A7)
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let done = try await UploadFixtures.register(server, a, data: UploadFixtures.png(5000, &rng), client: "m1")
        let open = try await UploadFixtures.register(server, a, data: UploadFixtures.png(5000, &rng), client: "m2")
        let doneAt = try await UploadFixtures.location(server, a.token, done)
        #expect(try await UploadFixtures.patch(server, a.token, doneAt, offset: 0, done.data).status == 204)
        let openAt = try await UploadFixtures.location(server, a.token, open)
        #expect(try await UploadFixtures.patch(server, a.token, openAt, offset: 0, open.data.prefix(100)).status == 204)

        let leftovers = try await BlobFixtures.plantLeftovers(server)
        try BlobFixtures.setFileMode(server, done.sha, 0o600)

        await ContentMaintenance.atStart(
            store: server.store, content: server.blobs, grace: 3600, logger: .init(label: "test"))
        for leftover in leftovers {
            #expect(try await !leftover.present(), "\(leftover.name)")
        }
        #expect(try await BlobFixtures.hasPart(server, openAt))
        #expect(try BlobFixtures.fileMode(server, done.sha) ?? 0o400 == 0o400)
        #expect(
            try await UploadFixtures.patch(
                server, a.token, openAt, offset: 100, open.data.subdata(in: 100..<open.data.count)
            ).status == 204)
        #expect(
            try await server.raw("GET", "/v1/materials/\(open.materialId)", token: a.token, headers: []).body
                == open.data)
    }
}

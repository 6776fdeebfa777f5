import Crypto
import Foundation
import MutualAidDomain
import SyncProtocol
import TestSupport
import Testing

@testable import MemberCore
@testable import SyncServer

/// The chunk that ends a file is hashed into the whole file's SHA-256 as it arrives, continuing
/// from the part's recorded bytes (read back once, before the body): damage in an earlier chunk
/// is caught though the last chunk is right, and a last chunk without a checksum (as member-cli
/// sends it) is verified by that hash alone.
@Suite struct LastChunkHashTests {
    @Test func theLastChunkContinuesTheHashOfThePartBeforeIt() async throws {
        var rng = SplitMix64(seed: 0x3E7)
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await UploadFixtures.register(server, a, data: UploadFixtures.png(40_000, &rng), client: "last")

        // Damage in the first chunk, each chunk's checksum right for its own bytes.
        var other = r.data
        other[10_000] ^= 0xFF
        let damaged = try await UploadFixtures.location(server, a.token, r)
        #expect(try await UploadFixtures.patch(server, a.token, damaged, offset: 0, other.prefix(25_000)).status == 204)
        let refused = try await UploadFixtures.patch(
            server, a.token, damaged, offset: 25_000, other.suffix(from: 25_000), algorithm: nil)
        #expect(refused.status == 460)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("file_checksum_mismatch"))
        #expect(try await server.raw("HEAD", damaged, token: a.token, headers: UploadTests.tus).status == 404)
        #expect(try await !UploadFixtures.verified(server, r.materialId))
        #expect(try await !server.blobs.holds(r.sha, bytes: Int64(r.data.count)))

        // The right bytes in three chunks, the last without a checksum.
        let location = try await UploadFixtures.location(server, a.token, r)
        #expect(
            try await UploadFixtures.patch(server, a.token, location, offset: 0, r.data.prefix(15_000)).status == 204)
        let middle = r.data.subdata(in: 15_000..<30_000)
        #expect(try await UploadFixtures.patch(server, a.token, location, offset: 15_000, middle).status == 204)
        #expect(try await !UploadFixtures.verified(server, r.materialId))
        let done = try await UploadFixtures.patch(
            server, a.token, location, offset: 30_000, r.data.suffix(from: 30_000), algorithm: nil)
        #expect(done.status == 204)
        #expect(done.header("upload-offset") == String(r.data.count))
        #expect(try await UploadFixtures.verified(server, r.materialId))
        let stored = try #require(try await server.blobs.content(r.sha))
        #expect(RecordDigest.hex(SHA256.hash(data: stored)) == r.sha)
    }
}

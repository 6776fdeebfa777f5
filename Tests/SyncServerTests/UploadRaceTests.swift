import Crypto
import Foundation
import GRDB
import MutualAidDomain
import SyncStorage
import TestSupport
import Testing

@testable import MemberCore
@testable import SyncServer

/// One writer per upload, and a material verified only by bytes that came through its own
/// upload. Seeded: `UPLOAD_RACE_SEED` replays a run.
@Suite struct UploadRaceTests {
    /// Two PATCHes of one upload at the same offset, one with the right half, one with other
    /// bytes: exactly one is taken, the other is told 409/423; the material ends verified only
    /// when its stored bytes are exactly the registered ones.
    @Test func concurrentPatchesNeverMixBytes() async throws {
        var rng = SplitMix64(environment: "UPLOAD_RACE_SEED", default: 0x7055_0010_2026)
        let seed = rng.seed
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let session = try await server.login("zhangwei")
        var verifiedRounds = 0
        var refusedRounds = 0
        var losers: [Int: Int] = [:]
        for round in 0..<12 {
            let size = rng.int(200_000...600_000)
            let half = size / 2
            let r = try await UploadFixtures.register(
                server, session, data: UploadFixtures.png(size, &rng), client: "race\(round)")
            let location = try await UploadFixtures.location(server, session.token, r)
            var other = Data(r.data.prefix(half))
            for _ in 0..<rng.int(1...8) {
                let i = rng.int(8...(half - 1))
                other[i] ^= 0x5A
            }
            let goodFirst = rng.chance(0.5)
            let algorithm = rng.pick(["sha1", "sha256", "md5"])
            let good = Data(r.data.prefix(half))
            let bad = other
            let (one, two) = goodFirst ? (good, bad) : (bad, good)
            async let a = UploadFixtures.patch(server, session.token, location, offset: 0, one, algorithm: algorithm)
            async let b = UploadFixtures.patch(server, session.token, location, offset: 0, two, algorithm: algorithm)
            let statuses = [try await a.status, try await b.status]
            #expect(statuses.filter { $0 == 204 }.count == 1, "seed \(seed) round \(round): \(statuses)")
            #expect(statuses.contains { $0 == 409 || $0 == 423 }, "seed \(seed) round \(round): \(statuses)")
            for status in statuses where status != 204 { losers[status, default: 0] += 1 }

            let head = try await server.raw("HEAD", location, token: session.token, headers: UploadTests.tus)
            #expect(head.header("upload-offset") == String(half))
            let rest = try await UploadFixtures.patch(
                server, session.token, location, offset: half, r.data.subdata(in: half..<r.data.count))
            let verified = try await UploadFixtures.verified(server, r.materialId)
            if verified {
                verifiedRounds += 1
                #expect(rest.status == 204)
                let stored = try await BlobFixtures.content(server, r.sha)
                #expect(stored == r.data, "seed \(seed) round \(round): a verified material's bytes differ")
                let fetched = try await server.raw(
                    "GET", "/v1/materials/\(r.materialId)", token: session.token, headers: [])
                #expect(fetched.status == 200 && fetched.body == r.data)
            } else {
                refusedRounds += 1
                #expect(
                    rest.status == 460,
                    "seed \(seed) round \(round): the other bytes won, the whole-file hash must refuse")
                #expect(try await !BlobFixtures.hasContent(server, r.sha))
            }
        }
        print(
            "UploadRaceTests: \(verifiedRounds) verified, \(refusedRounds) refused by the whole-file hash; losers \(losers)"
        )
    }

    /// B uploads the very bytes of A's material for B's own material: A's stays unverified
    /// (also after a HEAD on A's half-done upload) until A's own upload brings them.
    @Test func aMaterialIsVerifiedOnlyThroughItsOwnUpload() async throws {
        var rng = SplitMix64(environment: "UPLOAD_OWN_SEED", default: 0xA11CE)
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let b = try await server.login("lina")
        let data = UploadFixtures.png(300_000, &rng)
        let ra = try await UploadFixtures.register(server, a, data: data, client: "adev")
        let rb = try await UploadFixtures.register(server, b, data: data, client: "bdev")
        let la = try await UploadFixtures.location(server, a.token, ra)
        #expect(try await UploadFixtures.patch(server, a.token, la, offset: 0, data.prefix(100_000)).status == 204)

        let lb = try await UploadFixtures.location(server, b.token, rb)
        #expect(try await UploadFixtures.patch(server, b.token, lb, offset: 0, data).status == 204)
        #expect(try await UploadFixtures.verified(server, rb.materialId))
        #expect(try await BlobFixtures.hasContent(server, ra.sha))

        // The content is in the store now, but not through A's upload.
        let head = try await server.raw("HEAD", la, token: a.token, headers: UploadTests.tus)
        #expect(head.status == 200 && head.header("upload-offset") == "100000")
        #expect(try await UploadFixtures.verified(server, ra.materialId) == false)
        let fresh = try await UploadFixtures.location(server, a.token, ra)
        #expect(
            try await server.raw("HEAD", fresh, token: a.token, headers: UploadTests.tus).header("upload-offset") == "0"
        )
        #expect(try await UploadFixtures.verified(server, ra.materialId) == false)
        #expect(
            try await server.raw("GET", "/v1/materials/\(ra.materialId)", token: a.token, headers: []).status == 404)

        // Wrong bytes for the rest: refused by the whole-file hash, still unverified.
        var wrong = data.subdata(in: 100_000..<data.count)
        wrong[0] ^= 1
        #expect(try await UploadFixtures.patch(server, a.token, la, offset: 100_000, wrong).status == 460)
        #expect(try await UploadFixtures.verified(server, ra.materialId) == false)
        #expect(try await UploadFixtures.patch(server, a.token, fresh, offset: 0, data).status == 204)
        #expect(try await UploadFixtures.verified(server, ra.materialId))
        #expect(try await server.raw("GET", "/v1/materials/\(ra.materialId)", token: a.token, headers: []).body == data)
    }

    /// A request holding the upload makes PATCH, DELETE and a finishing HEAD wait (423); a
    /// plain HEAD still reports the recorded offset; a lease of an earlier run is free.
    @Test func aHeldUploadIsBusyForEveryOtherRequest() async throws {
        var rng = SplitMix64(seed: 0xB05E)
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await UploadFixtures.register(server, a, data: UploadFixtures.png(50_000, &rng), client: "held")
        let location = try await UploadFixtures.location(server, a.token, r)
        let id = String(location.split(separator: "/").last!)
        func hold(_ token: String) async throws {
            try await server.store.database.write { db in
                try db.execute(
                    sql: "UPDATE upload SET lease_token = ?, lease_until = ? WHERE id = ?",
                    arguments: [token, Timestamp.format(Date().addingTimeInterval(60)), id])
            }
        }
        try await hold("\(UploadLease.run):someone")
        let busy = try await UploadFixtures.patch(server, a.token, location, offset: 0, r.data.prefix(1000))
        #expect(busy.status == 423 && String(decoding: busy.body, as: UTF8.self).contains("HEAD"))
        #expect(try await server.raw("DELETE", location, token: a.token, headers: UploadTests.tus).status == 423)
        #expect(
            try await server.raw("HEAD", location, token: a.token, headers: UploadTests.tus).header("upload-offset")
                == "0")
        try await hold("an-earlier-run:someone")
        #expect(try await UploadFixtures.patch(server, a.token, location, offset: 0, r.data.prefix(1000)).status == 204)
        let lease: String? = try await server.store.database.read { db in
            try db.fetchValue(String.self, sql: "SELECT lease_token FROM upload WHERE id = ?", arguments: [id])
        }
        #expect(lease == nil, "the lease is released after the PATCH")
    }

    /// Bytes a killed PATCH appended past the recorded offset are cut by the next HEAD; an
    /// upload killed between "completed" and its commit is finished by HEAD from its own part.
    @Test func crashLeftoversAreCutAndACompletedUploadFinishesOnHead() async throws {
        var rng = SplitMix64(seed: 0xC4A5)
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await UploadFixtures.register(server, a, data: UploadFixtures.png(120_000, &rng), client: "crash")
        let location = try await UploadFixtures.location(server, a.token, r)
        let id = String(location.split(separator: "/").last!)
        #expect(
            try await UploadFixtures.patch(server, a.token, location, offset: 0, r.data.prefix(40_000)).status == 204)
        // Appended, offset never recorded.
        try await BlobFixtures.appendToPart(server, location, Data(repeating: 0xEE, count: 5000))
        #expect(
            try await server.raw("HEAD", location, token: a.token, headers: UploadTests.tus).header("upload-offset")
                == "40000")
        #expect(try await BlobFixtures.partLength(server, location) == 40_000)

        // The last PATCH's work up to "completed", then the kill: the rest is in the part.
        try await BlobFixtures.appendToPart(server, location, r.data.subdata(in: 40_000..<r.data.count))
        try await server.store.database.write { db in
            try db.execute(sql: #"UPDATE upload SET "offset" = length, completed = 1 WHERE id = ?"#, arguments: [id])
        }
        #expect(try await UploadFixtures.verified(server, r.materialId) == false)
        let head = try await server.raw("HEAD", location, token: a.token, headers: UploadTests.tus)
        #expect(head.status == 200 && head.header("upload-offset") == String(r.data.count))
        #expect(try await UploadFixtures.verified(server, r.materialId))
        #expect(try await BlobFixtures.content(server, r.sha) == r.data)
        #expect(try await !BlobFixtures.hasPart(server, location))
        #expect(try await server.raw("HEAD", location, token: a.token, headers: UploadTests.tus).status == 404)
    }

    /// Past offset 0 a chunk is written straight into the part (file store): one that fails its
    /// checksum is refused and its bytes are never counted; while another request still writes
    /// the part (one that outlived its lease, here the lock taken behind the server's back) a
    /// PATCH is told 423 and a HEAD reports the recorded offset, and the upload goes on after.
    @Test func aChunkWrittenIntoThePartCountsOnlyOnceCheckedAndWithThePartItsOwn() async throws {
        var rng = SplitMix64(seed: 0xD1EC7)
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let a = try await server.login("zhangwei")
        let r = try await UploadFixtures.register(server, a, data: UploadFixtures.png(300_000, &rng), client: "direct")
        let location = try await UploadFixtures.location(server, a.token, r)
        let data = r.data
        #expect(
            try await UploadFixtures.patch(server, a.token, location, offset: 0, data.prefix(100_000)).status == 204)

        var damaged = data.subdata(in: 100_000..<200_000)
        damaged[500] ^= 0xFF
        let refused = try await UploadFixtures.patch(
            server, a.token, location, offset: 100_000, damaged,
            checksum: UploadFixtures.checksum("sha256", data.subdata(in: 100_000..<200_000)))
        #expect(refused.status == 460)
        let head = try await server.raw("HEAD", location, token: a.token, headers: UploadTests.tus)
        #expect(head.status == 200 && head.header("upload-offset") == "100000")
        #expect(try await BlobFixtures.partLength(server, location) == 100_000)

        if let held = try BlobFixtures.lockPart(server, location) {
            let busy = try await UploadFixtures.patch(
                server, a.token, location, offset: 100_000, data.subdata(in: 100_000..<data.count))
            #expect(busy.status == 423)
            let stillThere = try await server.raw("HEAD", location, token: a.token, headers: UploadTests.tus)
            #expect(stillThere.status == 200 && stillThere.header("upload-offset") == "100000")
            try held.close()
        }
        #expect(try await UploadFixtures.verified(server, r.materialId) == false)
        let rest = try await UploadFixtures.patch(
            server, a.token, location, offset: 100_000, data.subdata(in: 100_000..<data.count))
        #expect(rest.status == 204 && rest.header("upload-offset") == String(data.count))
        #expect(try await UploadFixtures.verified(server, r.materialId))
        #expect(try await BlobFixtures.content(server, r.sha) == data)
        #expect(try await !BlobFixtures.hasPart(server, location))
    }
}

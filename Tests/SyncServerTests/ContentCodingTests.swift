import Foundation
import SyncProtocol
import Testing
import Zstd

@testable import MemberCore
@testable import SyncServer

/// Response bodies packed in the coding the client prefers, and unpacked by libcurl, a reader
/// written outside this project.
@Suite struct ContentCodingTests {
    @Test(
        arguments: [
            (nil, nil),
            ("", nil),
            ("identity", nil),
            ("gzip", .gzip),
            ("x-gzip", .gzip),
            ("GZIP", .gzip),
            ("zstd", .zstd),
            ("gzip, zstd", .zstd),  // a tie goes to zstd
            ("deflate, gzip, br, zstd", .zstd),  // what libcurl offers
            ("zstd;q=0.5, gzip", .gzip),
            ("zstd ; q=0, gzip", .gzip),
            ("zstd;q=0", nil),
            ("*", .zstd),
            ("*, zstd;q=0", .gzip),
            ("*;q=0, gzip;q=0.1", .gzip),
            ("zstd;q=2, gzip", .gzip),  // a weight out of range refuses the coding
            ("zstd;q=abc", nil),
            ("br, deflate", nil),
        ] as [(String?, ContentCoding?)])
    func theCodingFollowsAcceptEncoding(header: String?, expected: ContentCoding?) {
        #expect(ContentCoding.preferred(acceptEncoding: header) == expected)
    }

    @Test(arguments: [0, 1, 1000, 300_000])
    func zstdRoundTrips(size: Int) throws {
        var rng = SystemRandomNumberGenerator()
        // Half repetitive, half random, as feed pages are.
        let input = (0..<size).map { i in i % 2 == 0 ? UInt8(i % 7) : UInt8.random(in: 0...255, using: &rng) }
        let packed = try Zstd.compress(input)
        #expect(try Zstd.decompress(packed, limit: size) == input)
        if size > 0 { #expect(throws: Zstd.Failure.tooLarge) { try Zstd.decompress(packed, limit: size - 1) } }
    }

    @Test func damagedOrCutShortFramesAreRefused() throws {
        let input = Array(String(repeating: "职工互助保障 enrolment ", count: 2000).utf8)
        let packed = try Zstd.compress(input)
        #expect(throws: Zstd.Failure.corrupt) { try Zstd.decompress(packed.dropLast(5), limit: 1 << 20) }
        #expect(throws: Zstd.Failure.corrupt) { try Zstd.decompress([UInt8](), limit: 1 << 20) }
        #expect(throws: Zstd.Failure.corrupt) { try Zstd.decompress(Array("not zstd".utf8), limit: 1 << 20) }
        var flipped = packed
        flipped[flipped.count / 2] ^= 0x40
        // The frame's checksum catches a flipped bit in the data.
        #expect(throws: Zstd.Failure.corrupt) { try Zstd.decompress(flipped, limit: 1 << 20) }
    }

    /// The same pull page in each coding a client may ask for: the header says which, and
    /// libcurl unpacks every one to the same JSON.
    @Test func pullPagesArePackedAsTheClientAsks() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let session = try await server.login("zhangwei")
        var bodies: Set<Data> = []
        for (offer, coding) in [("identity", nil), ("gzip", "gzip"), ("zstd;q=0, gzip", "gzip"), ("zstd", "zstd")] {
            let answer = try await server.raw(
                "GET", "/v1/sync/pull", token: session.token,
                headers: [(ProtocolVersion.header, "1"), ("Accept-Encoding", offer)])
            #expect(answer.status == 200)
            #expect(answer.header("Content-Encoding") == coding, "offered \(offer)")
            #expect(answer.body.count > 1024)  // large enough to be packed
            _ = try JSONDecoder().decode(PullResponse.self, from: answer.body)
            bodies.insert(answer.body)
        }
        #expect(bodies.count == 1)
        // member-cli's own transport offers what its libcurl unpacks, and gets zstd.
        let own = try await server.raw("GET", "/v1/sync/pull", token: session.token)
        #expect(own.header("Content-Encoding") == "zstd")
        #expect(bodies.contains(own.body))
    }
}

import Crypto
import Foundation
import MutualAidDomain
import PostgresStorage
import SyncStorage
import TestSupport
import Testing

@testable import SyncServer

/// On the database blob store the bytes of materials are written outside the feed's order:
/// durably, and on PostgreSQL without waiting for a feed writer; two stores of the same content
/// at once both succeed and leave it stored once.
@Suite struct UnorderedContentWriteTests {
    /// A file of `bytes` random bytes and its SHA-256.
    static func body(bytes: Int, _ rng: inout SplitMix64) throws -> (URL, String) {
        let data = rng.bytes(bytes)
        let url = Scratch.directory("unordered-body").appendingPathComponent("body")
        try data.write(to: url)
        return (url, RecordDigest.hex(SHA256.hash(data: data)))
    }

    static func blobs(_ server: TestServer) throws -> DatabaseBlobStore {
        let blobs = DatabaseBlobStore(database: server.store.database, dataDirectory: Scratch.directory("unordered"))
        try blobs.prepare()
        return blobs
    }

    @Test(.enabled(if: TestStore.isPostgres, "SQLite has one writer for every write"))
    func materialBytesAreStoredWhileAFeedWriterHoldsTheLock() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let database = server.store.database
        let blobs = try Self.blobs(server)
        var rng = SplitMix64(environment: "UNORDERED_CONTENT_SEED", default: 0x0C0E)
        let length = DatabaseBlobStore.piece * 3 / 2
        let (body, sha) = try Self.body(bytes: length, &rng)
        let took = try await BookkeepingWriteTests.whileAFeedWriterHoldsTheLock(database) {
            try await blobs.storeContent(fromWholeBody: body, sha256: sha)
            #expect(try await blobs.holds(sha, bytes: Int64(length)))
        }
        #expect(took < .seconds(10))
    }

    /// Committed as durably as every other write, not as a bookkeeping write. The test cluster of
    /// PostgreSQL turns synchronous commit off for every session, so this asks connections of
    /// its own that have it on, as a production cluster does.
    @Test func unorderedWritesCommitAsDurablyAsEveryOtherWrite() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        var durable: PostgresDatabase?
        if let url = server.databaseURL {
            try await server.store.database.write { db in
                let name = try db.fetchValue(String.self, sql: "SELECT current_database()", arguments: []) ?? ""
                try db.execute(sql: "ALTER DATABASE \"\(name)\" SET synchronous_commit TO on", arguments: [])
            }
            durable = PostgresDatabase(url: url, poolSize: 1)
        }
        let database: any SQLDatabase = durable ?? server.store.database
        let unordered = try await database.writeUnordered { db in try BookkeepingWriteTests.setting(db) }
        let bookkept = try await database.writeBookkeeping { db in try BookkeepingWriteTests.setting(db) }
        #expect(unordered == (try await BookkeepingWriteTests.durability(database)))
        #expect(unordered != bookkept)
        await durable?.close()
    }

    @Test func twoStoresOfTheSameContentAtOnceBothSucceed() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let blobs = try Self.blobs(server)
        var rng = SplitMix64(environment: "UNORDERED_CONTENT_SEED", default: 0x0C0F)
        for _ in 0..<4 {
            let length = DatabaseBlobStore.piece * 2 + 17
            let (body, sha) = try Self.body(bytes: length, &rng)
            let copy = body.deletingLastPathComponent().appendingPathComponent("copy")
            try FileManager.default.copyItem(at: body, to: copy)
            async let first: Void = blobs.storeContent(fromWholeBody: body, sha256: sha)
            async let second: Void = blobs.storeContent(fromWholeBody: copy, sha256: sha)
            _ = try await (first, second)
            #expect(try await blobs.contentMatches(sha))
            let pieces = try await server.store.database.read { db in
                try db.fetchValue(
                    Int.self, sql: "SELECT COUNT(*) FROM content_chunk WHERE sha256 = ?", arguments: [sha])
            }
            #expect(pieces == 3)
        }
    }
}

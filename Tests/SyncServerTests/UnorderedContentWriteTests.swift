import Crypto
import Foundation
import MutualAidDomain
import SyncStorage
import Synchronization
import TestSupport
import Testing

@testable import PostgresStorage
@testable import SyncServer

/// On the database blob store the bytes of materials are written outside the feed's order:
/// durably, and on PostgreSQL without waiting for a feed writer; two stores of the same content
/// at once both succeed and leave it stored once. Unordered writes never take the last two
/// connections of PostgreSQL's pool.
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

    /// Many materials stored at once hold at most all but two of PostgreSQL's connections: a
    /// read still gets one while every unordered write the gate lets in is held up.
    @Test(.enabled(if: TestStore.isPostgres, "SQLite has one writer for every write"))
    func unorderedWritesLeaveTwoConnectionsToTheRest() async throws {
        let poolSize = 4
        let holders = PostgresDatabase.unorderedHolders(poolSize: poolSize)
        #expect(holders == 2)
        let database = PostgresDatabase(url: try PostgresURL(try TestStore.newPostgresDatabase()), poolSize: poolSize)
        defer { Task { await database.close() } }
        final class Held: Sendable { let state = Mutex((running: 0, most: 0, released: false)) }
        let held = Held()
        let writes = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<poolSize {
                    group.addTask { [held] in
                        try await database.writeUnordered { db in
                            held.state.withLock {
                                $0.running += 1
                                $0.most = max($0.most, $0.running)
                            }
                            // Held on the database's own thread until the test lets it go.
                            while !held.state.withLock({ $0.released }) { usleep(5_000) }
                            held.state.withLock { $0.running -= 1 }
                            try db.execute(sql: "SELECT 1", arguments: [])
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        // The writes take what they may first; then a read asks for a connection.
        // Deadlines are generous: beside the whole PostgreSQL suite, Swift's two shared threads
        // can be held for a minute (25 s and 41 s measured). They only keep a read that waits
        // for ever from hanging the run.
        _ = try await Deadline(seconds: 300).poll { held.state.withLock { $0.running } >= holders }
        try await Task.sleep(for: .milliseconds(300))  // time for any write beyond the gate to start
        let read = Task {
            try await database.read { db in try db.fetchValue(Int.self, sql: "SELECT 7", arguments: []) }
        }
        let readDone = Mutex(false)
        Task {
            _ = try? await read.value
            readDone.withLock { $0 = true }
        }
        let asked = ContinuousClock.now
        _ = try await Deadline(seconds: 300).poll { readDone.withLock { $0 } }
        print("UnorderedContentWriteTests: the read answered after \(ContinuousClock.now - asked)")
        let heldUp = held.state.withLock { $0.running }
        #expect(readDone.withLock { $0 }, "a read waited while unordered writes held the pool")
        held.state.withLock { $0.released = true }  // lets them go whatever was found, so nothing hangs
        try await writes.value
        #expect(try await read.value == 7)
        #expect(heldUp == holders)
        #expect(held.state.withLock { $0.most } == holders)
    }
}

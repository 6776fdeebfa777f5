import Foundation
import SyncStorage
import Synchronization
import TestSupport
import Testing

@testable import SyncServer

/// Bookkeeping writes (upload leases, a session's last use) commit without waiting for the
/// disk; every other write stays durable, and on PostgreSQL they do not queue behind the
/// feed's writers.
@Suite struct BookkeepingWriteTests {
    /// After a bookkeeping write, committed or rolled back, the next write is durable again.
    @Test func writesAreDurableAgainAfterABookkeepingWrite() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let database = server.store.database
        let before = try await Self.durability(database)
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await database.writeBookkeeping { db in
                try db.execute(sql: "UPDATE org SET name = 'x' WHERE id = (SELECT MIN(id) FROM org)", arguments: [])
                throw Refused()
            }
        }
        let renamed = try await database.read { db in
            try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM org WHERE name = 'x'", arguments: [])
        }
        #expect(renamed == 0)
        let bookkept = try await database.writeBookkeeping { db in try Self.setting(db) }
        #expect(bookkept == (TestStore.isPostgres ? "off" : "1"))
        #expect(try await Self.durability(database) == before)
        if !TestStore.isPostgres {
            #expect(before == "2")  // FULL (the test cluster of PostgreSQL runs without fsync at all)
        }
    }

    /// A lease can be taken while a feed writer holds the store's write lock for a while.
    @Test(.enabled(if: TestStore.isPostgres, "SQLite has one writer for every write"))
    func bookkeepingDoesNotWaitForTheFeedWriters() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let database = server.store.database
        let took = try await Self.whileAFeedWriterHoldsTheLock(database) {
            try await database.writeBookkeeping { db in
                try db.execute(sql: "UPDATE session SET last_seen = last_seen WHERE token_hash = 'none'", arguments: [])
            }
        }
        #expect(took < .seconds(10))
    }

    /// How long `body` took while another write held the store's write lock, as a feed writer
    /// in the middle of its transaction does (released after 20 s at the latest). The writer
    /// blocks a thread of the store's own; this side waits without blocking one of Swift's
    /// shared threads, which tests running side by side on two cores would run out of.
    static func whileAFeedWriterHoldsTheLock(
        _ database: any SQLDatabase, _ body: () async throws -> Void
    ) async throws -> Duration {
        let holding = Mutex(false)
        let release = DispatchSemaphore(value: 0)
        let writer = Task {
            try await database.write { db in
                try db.execute(sql: "UPDATE org SET name = name WHERE id = (SELECT MIN(id) FROM org)", arguments: [])
                holding.withLock { $0 = true }
                _ = release.wait(timeout: .now() + 20)
            }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while !holding.withLock({ $0 }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(holding.withLock { $0 })
        let started = ContinuousClock.now
        do {
            try await body()
        } catch {
            release.signal()
            throw error
        }
        let took = ContinuousClock.now - started
        release.signal()
        try await writer.value
        return took
    }

    /// The durability setting a write transaction runs with (SQLite's `synchronous`: 2 is FULL).
    static func durability(_ database: any SQLDatabase) async throws -> String {
        try await database.write { db in try setting(db) }
    }

    static func setting(_ db: any SQLConnection) throws -> String {
        if TestStore.isPostgres {
            return try db.fetchValue(String.self, sql: "SHOW synchronous_commit", arguments: []) ?? ""
        }
        return String(try db.fetchValue(Int.self, sql: "PRAGMA synchronous", arguments: []) ?? -1)
    }
}

import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import Synchronization
import Testing

@testable import MemberCore

/// Pulled pages that have come by the time one is written share its durable commit, up to a
/// bound; the commit is all or nothing; a failed fetch leaves the pages before it committed.
@Suite struct PullCommitTests {
    let fixture = SyncFixture()

    /// Seven records (or `count`) in pages of three: pages ending at 30, 60 and 70.
    func arrangeFeed(count: Int = 7) {
        let stamp = "0000000000000001-00000-server"
        fixture.server.with { state in
            state.pullPageSize = 3
            state.feed = (1...count).map { seq in
                FeedEntry(
                    seq: Int64(seq * 10), table: "enrolment", recordId: "e-\(seq)", op: .upsert,
                    fields: ["memberId": .string("m-001"), "unitName": .string("单位\(seq)")],
                    clocks: ["memberId": stamp, "unitName": stamp])
            }
        }
    }

    /// The cursor as another connection sees it: what has been committed.
    func committedCursor() throws -> String? {
        let reader = try DatabaseQueue(path: fixture.home.appendingPathComponent("member.sqlite").path)
        return try reader.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'cursor'") }
    }

    func committedRows() throws -> Int {
        let reader = try DatabaseQueue(path: fixture.home.appendingPathComponent("member.sqlite").path)
        return try reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM enrolment") ?? -1 }
    }

    /// The committed cursor at each written page, before its commit.
    final class Seen: Sendable {
        let cursors = Mutex<[String?]>([])
        var all: [String?] { cursors.withLock { $0 } }
    }

    /// At each written page, before its commit: waits until the fake server has been asked for
    /// the next page and has had time to answer, notes the committed cursor, then does `then`.
    func holdingEachPage(
        seen: Seen, then: @escaping @Sendable (_ page: Int) throws -> Void = { _ in }
    ) -> ClientFaults {
        let server = fixture.server
        return ClientFaults(armed: .pullPageWritten) { _ in
            let page = seen.all.count + 1
            let deadline = ContinuousClock.now + .seconds(10)
            while server.with({ $0.log.count { $0.hasPrefix("GET /v1/sync/pull") } }) < min(page + 1, 3),
                ContinuousClock.now < deadline
            {
                usleep(1_000)
            }
            usleep(200_000)  // the fake answers in microseconds once asked
            let cursor = try committedCursor()
            seen.cursors.withLock { $0.append(cursor) }
            try then(page)
        }
    }

    @Test func pagesThatHaveComeShareOneCommit() async throws {
        defer { fixture.removeHome() }
        arrangeFeed()
        let seen = Seen()
        let client = try fixture.client(faults: holdingEachPage(seen: seen))
        #expect(try await client.sync().pulled == 7)
        // All three pages were written in one transaction: nothing was committed in between.
        #expect(seen.all == [nil, nil, nil])
        #expect(try committedCursor() == "70")
        #expect(try committedRows() == 7)
    }

    @Test func aCommitHoldsAtMostItsBoundOfPages() async throws {
        defer { fixture.removeHome() }
        arrangeFeed()
        let seen = Seen()
        let faults = holdingEachPage(seen: seen)
        let client = try fixture.client(faults: faults)
        let engine = SyncEngine(database: client.database, faults: faults, pagesPerCommit: 2)
        let report = try await engine.run(vault: client.vault, options: SyncOptions()) { try client.api() }
        #expect(report.pulled == 7)
        #expect(seen.all == [nil, nil, "60"])
        #expect(try committedCursor() == "70")
    }

    @Test func aCrashBeforeTheCommitWritesNoneOfItsPages() async throws {
        defer { fixture.removeHome() }
        arrangeFeed()
        let seen = Seen()
        let crashing = holdingEachPage(seen: seen) { page in if page == 2 { throw SimulatedCrash() } }
        let client = try fixture.client(faults: crashing)
        await #expect(throws: SimulatedCrash.self) { try await client.sync() }
        #expect(try committedCursor() == nil)
        #expect(try committedRows() == 0)
        // The next run (a restarted process) pulls it all again, once.
        let restarted = try fixture.client()
        #expect(try await restarted.sync().pulled == 7)
        #expect(try committedCursor() == "70")
        #expect(try committedRows() == 7)
    }

    @Test func aFailedFetchLeavesThePagesBeforeItCommitted() async throws {
        defer { fixture.removeHome() }
        arrangeFeed()
        fixture.server.with { $0.pullsUntilDown = 1 }
        let client = try fixture.client()
        await #expect(throws: (any Error).self) { try await client.sync() }
        #expect(try committedCursor() == "30")
        #expect(try committedRows() == 3)
        fixture.server.with { $0.down = false }
        #expect(try await client.sync().pulled == 4)
        #expect(try committedCursor() == "70")
        #expect(try committedRows() == 7)
    }

    func pullRequests() -> Int { fixture.server.with { $0.log.count { $0.hasPrefix("GET /v1/sync/pull") } } }

    /// Waits up to ten seconds for `count` pull requests, then a fifth of a second more.
    func settle(atLeast count: Int) {
        let deadline = ContinuousClock.now + .seconds(10)
        while pullRequests() < count, ContinuousClock.now < deadline { usleep(1_000) }
        usleep(200_000)
    }

    /// An answer that names the next page has it asked for before it is even read, up to two
    /// pages out: while the first page is written, pages two and three are asked for, four not.
    /// From a server whose answers do not name it, the next page is asked for when one is
    /// taken: only page two while the first is written.
    @Test(arguments: [(true, 3), (false, 2)])
    func pagesAskedForWhileTheFirstIsWritten(namesNextPage: Bool, expected: Int) async throws {
        defer { fixture.removeHome() }
        arrangeFeed(count: 10)
        fixture.server.with { $0.namesNextPage = namesNextPage }
        let during = Mutex<[Int]>([])
        let client = try fixture.client(
            faults: ClientFaults(armed: .pullPageWritten) { _ in
                guard during.withLock({ $0.isEmpty }) else { return }
                settle(atLeast: expected)
                let asked = pullRequests()
                during.withLock { $0.append(asked) }
            })
        #expect(try await client.sync().pulled == 10)
        #expect(during.withLock { $0 } == [expected])
        #expect(try committedCursor() == "100")
        #expect(try committedRows() == 10)
    }

    /// A header that names another page than the body is an answer that cannot be read:
    /// nothing of it is written, and a sound server's answers then pull everything once.
    @Test func aHeaderThatDisagreesWithItsBodyIsRefused() async throws {
        defer { fixture.removeHome() }
        arrangeFeed(count: 10)
        fixture.server.with { $0.nextAfterSkew = 1 }
        let client = try fixture.client()
        await #expect(throws: ClientError.self) { try await client.sync() }
        #expect(try committedCursor() == nil)
        #expect(try committedRows() == 0)
        fixture.server.with { $0.nextAfterSkew = 0 }
        #expect(try await client.sync().pulled == 10)
        #expect(try committedCursor() == "100")
        #expect(try committedRows() == 10)
    }
}

import Foundation
import Synchronization
import TestSupport
import Testing

@_spi(Benchmark) @testable import MemberCore

/// A kill in the middle of the largest batch the server takes (8000 changes, one ledger row):
/// the real `sync-server` killed after committing it, or the client losing its answer. The
/// resend is answered from the ledger, in smaller batches that overlap the one ledger row, and
/// every change is applied once.
@Suite(.serialized) struct LargeBatchCrashTests {
    static let count = 12_000
    /// With a clock that stands still every answer is quick, so the batches are 500, 2000, then
    /// the server's 8000: the third push is the large one.
    static let largeBatchHit = 3
    static let applied = "SELECT COUNT(*) FROM applied_change WHERE tbl = 'profile' AND status = 'applied'"
    static let distinct = "SELECT COUNT(DISTINCT change_id) FROM applied_change WHERE tbl = 'profile'"

    /// A client over real HTTPS (libcurl) on a scratch home, signed in, with `faults` armed.
    func client(_ server: ServerProcess, home: URL, password: String, faults: ClientFaults) async throws -> MemberClient
    {
        let started = Date()
        let client = try MemberClient(
            home: home, transport: { CurlTransport(tls: $0) }, clock: ClientClock { started }, faults: faults)
        if try client.status().login == nil {
            _ = try await client.connect(url: server.url, caFile: server.certificate, pinnedPublicKey: nil)
            _ = try await client.login("zhangwei", password: password)
            _ = try await client.sync()
        }
        return client
    }

    func queueEdits(_ client: MemberClient) throws -> String {
        let mobiles = (0..<Self.count).map { String(format: "137%08d", $0) }
        try client.queueProfileEdits(mobiles: mobiles)
        return mobiles.last!
    }

    /// Afterwards: every change applied once (a change applied twice, or answered twice in the
    /// ledger, shows here as more rows than ids), nothing waiting, the last edit on the server.
    func expectEachAppliedOnce(_ server: ServerProcess, _ client: MemberClient, before: Int, last: String) throws {
        #expect(try storeInt(server, Self.applied) == before + Self.count)
        #expect(try storeInt(server, Self.distinct) == before + Self.count)
        #expect(try client.status().pendingChanges == 0)
        #expect(try storeInt(server, "SELECT COUNT(*) FROM change_feed WHERE fields LIKE ?", ["%\(last)%"]) == 1)
    }

    @Test func serverKilledAfterCommittingTheLargestBatch() async throws {
        let (server, passwords) = try ServerProcess.demo()
        defer { server.stop() }
        let home = Scratch.directory("large-batch-server")
        var options = SyncOptions()
        options.skipPull = true
        let before: Int
        let last: String
        do {
            let first = try await client(server, home: home, password: passwords["zhangwei"]!, faults: .none)
            before = try storeInt(server, Self.applied) ?? -1
            last = try queueEdits(first)
            server.stop()
            try server.start(environment: [
                "SYNC_SERVER_CRASH_AT": "after-push-commit", "SYNC_SERVER_CRASH_AFTER": String(Self.largeBatchHit),
            ])
            await #expect(throws: (any Error).self) { _ = try await first.sync(options) }
            #expect(server.waitForExit())
            // 500 + 2000 answered and written down; the 8000 committed, its answer never sent.
            #expect(try first.status().pendingChanges == Self.count - 2_500)
        }
        #expect(try storeInt(server, Self.applied) == before + 10_500)

        try server.start()
        let again = try await client(server, home: home, password: passwords["zhangwei"]!, faults: .none)
        _ = try await again.sync(options)
        try expectEachAppliedOnce(server, again, before: before, last: last)
    }

    @Test func clientLosesTheAnswerToTheLargestBatch() async throws {
        let (server, passwords) = try ServerProcess.demo()
        defer { server.stop() }
        let home = Scratch.directory("large-batch-client")
        let hits = Mutex(0)
        // As a kill after the answer arrived and before the outbox was touched: this process's
        // memory of the sync is dropped with the client, the files stay as they were.
        let killed = ClientFaults(armed: .afterPushResponse) { _ in
            let hit = hits.withLock { count in
                count += 1
                return count
            }
            if hit == Self.largeBatchHit { throw CancellationError() }
        }
        let before: Int
        let last: String
        do {
            let first = try await client(server, home: home, password: passwords["zhangwei"]!, faults: killed)
            before = try storeInt(server, Self.applied) ?? -1
            last = try queueEdits(first)
            var options = SyncOptions()
            options.skipPull = true
            await #expect(throws: CancellationError.self) { _ = try await first.sync(options) }
            #expect(try first.status().pendingChanges == Self.count - 2_500)
        }
        #expect(try storeInt(server, Self.applied) == before + 10_500)

        let again = try await client(server, home: home, password: passwords["zhangwei"]!, faults: .none)
        _ = try await again.sync()
        try expectEachAppliedOnce(server, again, before: before, last: last)
    }
}

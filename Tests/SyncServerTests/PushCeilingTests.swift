import Foundation
import SyncProtocol
import SyncStorage
import Testing

@_spi(Benchmark) @testable import MemberCore
@testable import SyncServer

/// The server says on every push answer how many changes it takes per push; the client, over
/// real HTTPS, sends batches up to that many once told (the first release stopped at 2000),
/// and every change is applied once.
@Suite struct PushCeilingTests {
    @Test func aClientSendsBatchesAsLargeAsTheServerSaysItTakes() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ceiling-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        // A clock that stands still: every batch is answered "at once", so the sizes below do
        // not depend on how fast this machine is.
        let started = Date()
        let client = try MemberClient(
            home: home, transport: { _ in server.transport() }, clock: ClientClock { started }, faults: .none)
        _ = try await client.connect(url: server.baseURL, caFile: server.caFile, pinnedPublicKey: nil)
        let session = try await client.login("zhangwei", password: server.password("zhangwei"))
        _ = try await client.sync()
        let count = 12_000
        try client.queueProfileEdits(mobiles: (0..<count).map { String(format: "139%08d", $0) })
        var options = SyncOptions()
        options.skipPull = true
        let report = try await client.sync(options)
        #expect(report.pushed == count)
        #expect(try client.status().pendingChanges == 0)
        // One `applied_at` per batch. The batch after each answer was read before it, at the
        // size a quick answer earns: 500, then 2000 (four times the first, as much as the first
        // release takes, which is all the client knows before the first answer), then the
        // server's 8000.
        let sizes = try await server.store.database.read { db in
            try db.fetchValues(
                Int.self,
                sql: """
                    SELECT COUNT(*) FROM applied_change WHERE account_id = ? AND tbl = 'profile' AND status = 'applied'
                    GROUP BY applied_at ORDER BY applied_at
                    """, arguments: [session.account.id])
        }
        #expect(sizes == [500, 2_000, ProtocolVersion.maxChangesPerPush, 1_500])
    }
}

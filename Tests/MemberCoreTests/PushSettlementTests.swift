import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import Synchronization
import Testing

@_spi(Benchmark) @testable import MemberCore

/// The push half of a sync against the in-memory server: what the server's answer does to the
/// outbox, a crash between answer and settlement, reused change ids, one sync at a time.
@Suite struct PushSettlementTests {
    let fixture = SyncFixture()

    @Test func appliedAndRejectedChangesLeaveTheOutboxAndTheReasonShowsInStatus() async throws {
        defer { fixture.removeHome() }
        let client = try fixture.client()
        _ = try client.updateProfile(mobile: "13900000001", bankAccount: nil, bankName: nil)
        _ = try client.updateProfile(mobile: "13900000002", bankAccount: nil, bankName: nil)
        fixture.server.with { state in
            state.rejection = { $0.fields["mobile"] == .string("13900000002") ? "该手机号已被其他成员使用" : nil }
        }
        let report = try await client.sync()
        #expect(report.pushed == 1 && report.rejected == 1)
        let status = try client.status()
        #expect(status.pendingChanges == 0)
        #expect(status.rejectedChanges == 1)
        #expect(status.rejected.first?.reason == "该手机号已被其他成员使用")
        #expect(status.rejected.first?.recordId == "m-001")
        // Times come from the client's clock.
        let stamp = SyncFixture.now.formatted(.iso8601)
        #expect(status.rejected.first?.rejectedAt == stamp)
        #expect(status.lastSync == stamp)
        let id = try SyncFixture.clientId(client)
        #expect(fixture.server.with { $0.applications } == ["\(id):1": 1])
        // The edits were stamped by the same clock: same millisecond, counter counting up.
        #expect(
            fixture.server.with { [$0.handled["\(id):1"]?.hlc, $0.handled["\(id):2"]?.hlc] }
                == ["0001795000000000-00000-\(id)", "0001795000000000-00001-\(id)"])
        // Nothing left to send: the next sync only pulls.
        #expect(try await client.sync().pushed == 0)
        #expect(fixture.server.with { $0.log.filter { $0.hasPrefix("POST /v1/sync/push") }.count } == 1)
    }

    /// Answered entries leave the outbox a hundred at a time: a batch of 250 with refusals
    /// among them leaves nothing behind and nothing is sent twice.
    @Test func aLongAnsweredBatchLeavesTheOutboxWhole() async throws {
        defer { fixture.removeHome() }
        let client = try fixture.client()
        for i in 0..<250 {
            _ = try client.updateProfile(mobile: String(format: "139%08d", i), bankAccount: nil, bankName: nil)
        }
        fixture.server.with { state in
            state.rejection = { $0.fields["mobile"]?.stringValue?.hasSuffix("7") == true ? "该手机号已被其他成员使用" : nil }
        }
        let report = try await client.sync()
        #expect(report.pushed == 225 && report.rejected == 25)
        let status = try client.status()
        #expect(status.pendingChanges == 0)
        #expect(status.rejectedChanges == 25)
        #expect(try await client.sync().pushed == 0)
        #expect(fixture.server.with { $0.log.filter { $0.hasPrefix("POST /v1/sync/push") }.count } == 1)
    }

    /// The next batch is read while the server handles one, and used only when every change
    /// before it was answered: a change the answer left out goes again, in order, before it.
    @Test func aChangeTheAnswerLeftOutGoesAgainBeforeThePrefetchedBatch() async throws {
        defer { fixture.removeHome() }
        let client = try fixture.client()
        for i in 0..<1_100 {
            _ = try client.updateProfile(mobile: String(format: "139%08d", i), bankAccount: nil, bankName: nil)
        }
        let id = try SyncFixture.clientId(client)
        fixture.server.with { $0.unansweredOnce = ["\(id):250"] }
        let report = try await client.sync()
        #expect(report.pushed == 1_100)
        #expect(try client.status().pendingChanges == 0)
        let pushes = fixture.server.with { $0.log.filter { $0.hasPrefix("POST /v1/sync/push") }.count }
        #expect(pushes == 3)  // 1–500 (250 left out), then 250 with 501–999, then 1000–1100
        #expect(fixture.server.with { $0.applications.count == 1_100 && $0.applications.values.allSatisfy { $0 == 1 } })
    }

    /// A batch's answer is written while the next batch is on its way: when that one cannot be
    /// sent, the answered batch still leaves the outbox and is not sent again.
    @Test func anAnswerIsKeptWhenTheNextBatchCannotBeSent() async throws {
        defer { fixture.removeHome() }
        let client = try fixture.client()
        for i in 0..<1_100 {
            _ = try client.updateProfile(mobile: String(format: "139%08d", i), bankAccount: nil, bankName: nil)
        }
        fixture.server.with { $0.pushesUntilDown = 1 }
        await #expect(throws: ClientError.self) { try await client.sync() }
        #expect(try client.status().pendingChanges == 600)
        fixture.server.with { $0.down = false }
        let report = try await client.sync()
        #expect(report.pushed == 600)
        #expect(try client.status().pendingChanges == 0)
        // 1–500; after the outage 501–1000 and 1001–1100: none of 1–500 again.
        let id = try SyncFixture.clientId(client)
        #expect(fixture.server.with { $0.log.filter { $0.hasPrefix("POST /v1/sync/push") }.count } == 3)
        #expect(fixture.server.with { $0.applications.count == 1_100 && $0.applications["\(id):1"] == 1 })
    }

    /// Batches start at 500 and grow while they go quickly, up to 2000 for a server that does
    /// not say it takes more.
    @Test func batchesGrowOnAFastLink() async throws {
        defer { fixture.removeHome() }
        let client = try fixture.client()
        try client.queueProfileEdits(mobiles: (0..<4_500).map { String(format: "139%08d", $0) })
        let report = try await client.sync()
        #expect(report.pushed == 4_500)
        // The fixture's clock stands still, so every batch is quick. The batch after each
        // answer was read before it, at the size a quick answer earns.
        #expect(fixture.server.with { $0.pushSizes } == [500, 2_000, 2_000])
        #expect(fixture.server.with { $0.applications.count == 4_500 && $0.applications.values.allSatisfy { $0 == 1 } })
    }

    /// On a slow link the batch read ahead at the size a quick answer would earn is read again
    /// at the size the link earned: the batches stay small.
    @Test func aBatchReadAheadLargerThanTheLinkEarnedIsReadAgainSmaller() async throws {
        defer { fixture.removeHome() }
        // Every reading of this clock is two seconds after the last: each answer takes seconds.
        let ticks = Mutex(0)
        let slow = ClientClock {
            let tick = ticks.withLock { count in
                count += 1
                return count
            }
            return SyncFixture.now.addingTimeInterval(2 * Double(tick))
        }
        let client = try fixture.client(clock: slow)
        try client.queueProfileEdits(mobiles: (0..<1_500).map { String(format: "139%08d", $0) })
        let report = try await client.sync()
        #expect(report.pushed == 1_500)
        #expect(fixture.server.with { $0.pushSizes } == [500, 500, 500])
        #expect(fixture.server.with { $0.applications.count == 1_500 && $0.applications.values.allSatisfy { $0 == 1 } })
        #expect(try client.status().pendingChanges == 0)
    }

    /// A server that says it takes more gets batches up to what it says, within the client's
    /// own limit.
    @Test func batchesGrowToWhatTheServerSaysItTakes() async throws {
        defer { fixture.removeHome() }
        fixture.server.with { $0.advertisedMaxChanges = 50_000 }
        let client = try fixture.client()
        try client.queueProfileEdits(mobiles: (0..<20_000).map { String(format: "139%08d", $0) })
        let report = try await client.sync()
        #expect(report.pushed == 20_000)
        #expect(fixture.server.with { $0.pushSizes } == [500, 2_000, 8_000, 8_000, 1_500])
        #expect(ProtocolVersion.maxChangesPerPush == 8_000)
        #expect(
            fixture.server.with { $0.applications.count == 20_000 && $0.applications.values.allSatisfy { $0 == 1 } })
    }

    /// Behind one address, an instance left on the first release refuses a batch another
    /// instance said it takes: the sync goes on in batches of 2000, each change once.
    @Test func aBatchRefusedAsTooLargeGoesAgainInBatchesEveryServerTakes() async throws {
        defer { fixture.removeHome() }
        fixture.server.with {
            $0.advertisedMaxChanges = 8_000
            $0.refusesAbove = 2_000
        }
        let client = try fixture.client()
        try client.queueProfileEdits(mobiles: (0..<12_000).map { String(format: "139%08d", $0) })
        let report = try await client.sync()
        #expect(report.pushed == 12_000)
        #expect(fixture.server.with { $0.refusedSizes } == [8_000])
        #expect(fixture.server.with { $0.pushSizes } == [500, 2_000, 2_000, 2_000, 2_000, 2_000, 1_500])
        #expect(
            fixture.server.with { $0.applications.count == 12_000 && $0.applications.values.allSatisfy { $0 == 1 } })
        #expect(try client.status().pendingChanges == 0)
    }

    @Test func theBatchSizeFollowsTheLink() {
        let grow = { (full: Bool, seconds: Double, current: Int) in
            SyncEngine.nextPushLimit(
                afterFull: full, took: .seconds(seconds), current: current, first: 500, ceiling: 8_000)
        }
        #expect(grow(true, 0.2, 500) == 2_000)
        #expect(grow(true, 0.9, 1_000) == 2_000)
        #expect(grow(true, 0.1, 4_000) == 8_000)  // never above what the server takes
        #expect(grow(false, 0.1, 500) == 500)  // a short batch says little about the link
        #expect(grow(true, 2, 500) == 500)  // neither quick nor slow
        #expect(grow(true, 6, 2_000) == 1_000)
        #expect(grow(false, 30, 500) == 500)  // never below the first size
        #expect(
            SyncEngine.nextPushLimit(afterFull: true, took: .seconds(0.1), current: 2_000, first: 500, ceiling: 2_000)
                == 2_000)
    }

    /// What a server says it takes, within the client's limit; a server that says nothing (or
    /// less than every protocol-1 server takes) gets the first release's 2000.
    @Test func theServersWordSetsTheCeiling() {
        #expect(SyncEngine.pushCeiling(advertised: nil) == 2_000)
        #expect(SyncEngine.pushCeiling(advertised: "5000") == 5_000)
        #expect(SyncEngine.pushCeiling(advertised: "100000") == ProtocolVersion.maxChangesPerPush)
        #expect(SyncEngine.pushCeiling(advertised: "100") == 2_000)
        #expect(SyncEngine.pushCeiling(advertised: "many") == 2_000)
    }

    /// Large changes go in smaller batches rather than as a body the server refuses.
    @Test func aBatchStaysWithinTheBodyLimit() throws {
        defer { fixture.removeHome() }
        let client = try fixture.client()
        for i in 0..<40 {
            _ = try client.updateProfile(mobile: String(format: "139%08d", i), bankAccount: nil, bankName: nil)
        }
        let whole = try OutboxBatch.read(client.database, limit: 500, after: 0)
        #expect(whole.changes.count == 40)
        let cut = try OutboxBatch.read(client.database, limit: 500, after: 0, byteBudget: whole.jsonBytes / 3)
        #expect(cut.changes.count == 10)  // 40 → 20 → 10
        #expect(cut.jsonBytes <= whole.jsonBytes / 3)
        #expect(cut.changes.map(\.changeId) == Array(whole.changes.prefix(10).map(\.changeId)))
        #expect(cut.lastSeq == 10)
        #expect(!cut.isFull && !whole.isFull)
        #expect(try OutboxBatch.read(client.database, limit: 40, after: 0).isFull)
    }

    @Test func aCrashAfterThePushAnswerLeavesTheOutboxAndTheRetryAppliesOnce() async throws {
        defer { fixture.removeHome() }
        let armed = try fixture.client(faults: ClientFaults(armed: .afterPushResponse) { _ in throw SimulatedCrash() })
        _ = try armed.updateProfile(mobile: "13900000001", bankAccount: nil, bankName: nil)
        await #expect(throws: SimulatedCrash.self) { try await armed.sync() }
        // The server applied the change, the device never settled it.
        #expect(try armed.status().pendingChanges == 1)
        let id = try SyncFixture.clientId(armed)
        #expect(fixture.server.with { $0.applications } == ["\(id):1": 1])

        // The next process sends it again; the server answers from its record, applies nothing twice.
        let restarted = try fixture.client()
        let report = try await restarted.sync()
        #expect(report.pushed == 1)
        #expect(try restarted.status().pendingChanges == 0)
        #expect(fixture.server.with { $0.applications } == ["\(id):1": 1])
        #expect(fixture.server.with { $0.log.filter { $0.hasPrefix("POST /v1/sync/push") }.count } == 2)
    }

    @Test func aReusedChangeIdRenumbersAndSendsAgain() async throws {
        defer { fixture.removeHome() }
        let client = try fixture.client()
        _ = try client.updateProfile(mobile: "13900000001", bankAccount: nil, bankName: nil)
        let oldId = try SyncFixture.clientId(client)
        // The server already has this id with other content (the folder was restored from a backup).
        let earlier = Change(
            changeId: "\(oldId):1", table: "profile", recordId: "m-001", op: .upsert,
            fields: ["mobile": .string("13800000000")], hlc: "0000000000000001-00000-\(oldId)")
        fixture.server.with { $0.handled[earlier.changeId] = earlier }
        let report = try await client.sync()
        let newId = try SyncFixture.clientId(client)
        #expect(newId != oldId)
        #expect(report.pushed == 1)
        #expect(try client.status().pendingChanges == 0)
        #expect(fixture.server.with { $0.applications } == ["\(newId):1": 1])
        // The resent change is stamped by the new id as its clock node.
        #expect(fixture.server.with { $0.handled["\(newId):1"]?.hlc.hasSuffix(newId) } == true)
    }

    @Test func twoSyncsOfOneClientNeverRunAtOnce() async throws {
        defer { fixture.removeHome() }
        let client = try fixture.client()
        _ = try client.updateProfile(mobile: "13900000001", bankAccount: nil, bankName: nil)
        fixture.server.with { $0.latency = .milliseconds(50) }
        async let first = client.sync()
        async let second = client.sync()
        let reports = try await [first, second]
        // Unserialised, both would read the same outbox and push it at the same time.
        #expect(fixture.server.with { $0.maxInFlight } == 1)
        #expect(reports.map(\.pushed).sorted() == [0, 1])
        #expect(fixture.server.with { $0.applications.values.reduce(0, +) } == 1)
        // The second waited for the first and then ran in full: push, pull, then its own pull.
        #expect(
            fixture.server.with { $0.log.map { String($0.prefix(while: { $0 != "?" })) } }
                == ["POST /v1/sync/push", "GET /v1/sync/pull", "GET /v1/sync/pull"])
    }
}

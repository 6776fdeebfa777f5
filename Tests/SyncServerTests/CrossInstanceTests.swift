import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage
import TestSupport
import Testing

@testable import MemberCore
@testable import SyncServer

/// Several server instances on one PostgreSQL database (issue 12, items 4 and 5): the feed is
/// served in commit order however commits interleave, and races between instances are settled
/// by the database. Each instance has its own connection pool, exactly as separate processes.
@Suite(.enabled(if: TestStore.isPostgres, "several instances share one store only on PostgreSQL"))
struct CrossInstanceTests {
    static let members = ["zhangwei", "lina", "wangfang"]

    /// Members' devices file claim drafts (new rows, so no row lock orders the writers) through
    /// both instances, one of which holds every commit open for a random while after its rows,
    /// feed sequence numbers included, are written; pullers on both instances page through the
    /// feed in small pages all the while. Every puller must end with exactly the entries a fresh
    /// full pull shows, each once, in increasing order.
    @Test func pullersNeverMissOrRepeatARowWhileCommitsInterleave() async throws {
        let (slow, fast) = try await Self.instances(firstCommitsSlowly: true)
        defer { Self.stop(slow, fast) }
        let writing = Flag()
        writing.set(true)
        try await withThrowingTaskGroup(of: PullerLog?.self) { group in
            for login in Self.members {
                let session = try await slow.login(login)
                let me = session.account.memberId!
                for (index, server) in [slow, fast].enumerated() {
                    group.addTask {
                        var device = StaffDevice(server, token: session.token, clientId: "\(login)-w\(index)")
                        for _ in 0..<12 {
                            let draft = CaseActionTests.newClaim(&device, enrolment: "e-\(me)-1")
                            let results = try await device.push([draft])
                            #expect(results.map(\.status) == [.applied], "\(results)")
                        }
                        return nil
                    }
                    group.addTask {
                        var log = PullerLog(login: login, token: session.token)
                        var cursor: Int64 = 0
                        // Pull while anyone writes, then once more to the end.
                        var last = false
                        while true {
                            last = !writing.value
                            while true {
                                let page = try await server.api(token: session.token).get(
                                    "/v1/sync/pull", query: [("after", String(cursor)), ("limit", "3")],
                                    as: PullResponse.self)
                                log.seqs += page.changes.map(\.seq)
                                cursor = page.cursor
                                if !page.hasMore { break }
                            }
                            if last { return log }
                            try await Task.sleep(for: .milliseconds(5))
                        }
                    }
                }
            }
            var logs: [PullerLog] = []
            var writers = Self.members.count * 2
            while let finished = try await group.next() {
                if let log = finished {
                    logs.append(log)
                } else {
                    writers -= 1
                    if writers == 0 { writing.set(false) }
                }
            }
            #expect(logs.count == Self.members.count * 2)
            for log in logs {
                let everything = try await slow.api(token: log.token).get(
                    "/v1/sync/pull", query: [("after", "0"), ("limit", "1000")], as: PullResponse.self)
                #expect(!everything.hasMore)
                #expect(log.seqs == everything.changes.map(\.seq), "\(log.login) missed or repeated a row")
                #expect(everything.changes.filter { $0.table == "claim" }.count == 24, "\(log.login)")
            }
        }
    }

    /// The same batch (same change ids) pushed to two instances at the same moment: every
    /// change is applied once; the other answer is the recorded one, marked replayed.
    @Test func theSameChangeIdPushedToTwoInstancesAtOnceAppliesOnce() async throws {
        let (a, b) = try await Self.instances()
        defer { Self.stop(a, b) }
        let session = try await a.login("zhangwei")
        let me = session.account.memberId!
        var device = StaffDevice(a, token: session.token, clientId: "twin")
        let feedBefore = try await feedCount(a, record: me)
        for round in 0..<10 {
            var batch: [Change] = []
            for i in 0..<3 {
                let mobile = "1370000" + String(format: "%04d", round * 10 + i)
                batch.append(device.change("profile", me, ["mobile": .string(mobile)]))
            }
            let twinA = StaffDevice(a, token: session.token, clientId: "twin", clock: device.clock)
            let twinB = StaffDevice(b, token: session.token, clientId: "twin", clock: device.clock)
            let sent = batch
            async let first = twinA.push(sent)
            async let second = twinB.push(sent)
            let answers = try await [first, second]
            for index in batch.indices {
                let pair = answers.map { $0[index] }
                #expect(pair.allSatisfy { $0.status == .applied })
                #expect(pair.filter { !$0.replayed }.count == 1, "round \(round): applied twice or never")
            }
        }
        let applied = try await a.store.database.read { db in
            try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM applied_change WHERE change_id LIKE 'twin:%'")
        }
        #expect(applied == 30)
        #expect(try await feedCount(a, record: me) == feedBefore + 10)  // one entry per round's run of three changes
    }

    /// Two reviewers of one agency acquire the same case through two instances at once, ten
    /// times: each time exactly one acquisition applies and the case is held by its reviewer.
    @Test func twoReviewersAcquiringOneCaseThroughTwoInstancesOneWins() async throws {
        let (a, b) = try await Self.instances()
        defer { Self.stop(a, b) }
        var first = try await StaffDevice(a, login: "sz-agent", clientId: "race-a")
        var second = try await Self.secondAgent(on: b)
        var wins: [String: Int] = [:]
        for round in 0..<10 {
            let claim = try await CaseActionTests.acceptedClaim(a, clientId: "intake-\(round)")
            // The agency that accepted a case holds it; it lets go before the race.
            if try await ClaimRow.read(a, claim).holder != nil {
                let released = try await first.push([first.action(claim, "release")])
                #expect(released.first?.status == .applied, "\(released)")
            }
            #expect(try await ClaimRow.read(a, claim).holder == nil)
            let actions = (first.action(claim, "acquire"), second.action(claim, "acquire"))
            let (deviceA, deviceB) = (first, second)
            // Each side in turn gets a head start of up to a few milliseconds.
            let headStart = Double.random(in: 0...0.004)
            async let one = Self.push(deviceA, [actions.0], after: round % 2 == 0 ? 0 : headStart)
            async let other = Self.push(deviceB, [actions.1], after: round % 2 == 0 ? headStart : 0)
            let results = try await (one, other)
            let winners = [("sz-agent", results.0), ("sz-agent2", results.1)].filter { $0.1.first?.status == .applied }
            #expect(winners.count == 1, "round \(round): \(results)")
            // The loser lost the race, not some other check.
            let loser = [results.0, results.1].first { $0.first?.status != .applied }?.first
            #expect(loser?.reason?.contains("已由") == true, "round \(round): \(loser?.reason ?? "")")
            #expect(try await ClaimRow.read(a, claim).holder == winners.first?.0)
            wins[winners.first?.0 ?? "", default: 0] += 1
        }
        print("acquire races won: \(wins)")
    }

    /// Case numbers issued by two instances at once are unique and run 1, 2, 3… in the order
    /// the cases were accepted.
    @Test func caseNumbersAreUniqueAndIncreasingAcrossInstances() async throws {
        let (a, b) = try await Self.instances()
        defer { Self.stop(a, b) }
        let first = try await StaffDevice(a, login: "sz-agent", clientId: "numbers-a")
        let second = try await Self.secondAgent(on: b)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for var device in [first, second] {
                group.addTask {
                    for _ in 0..<15 {
                        let results = try await device.push([CaseActionTests.newClaim(&device)])
                        #expect(results.first?.status == .applied, "\(results)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let rows = try await a.store.database.read { db in
            try db.fetchAll(
                sql: """
                    SELECT c.case_number, (SELECT MIN(seq) FROM change_feed f WHERE f.tbl = 'claim' AND f.record_id = c.id
                        AND f.fields LIKE '%caseNumber%') AS numbered_at
                    FROM claim c WHERE c.case_number IS NOT NULL ORDER BY numbered_at
                    """
            ).map { (try $0["case_number"] as String, try $0["numbered_at"] as Int) }
        }
        #expect(rows.count == 30)
        let sequence = rows.map { Int($0.0.suffix(8)) ?? -1 }
        #expect(sequence == Array(1...30), "numbers in the order they were issued: \(sequence)")
    }

    /// An upload started on one instance continues on another: the bytes in flight are in the
    /// database, so a PATCH may land on any instance, and the verified material is served by all.
    @Test func anUploadStartedOnOneInstanceContinuesOnAnother() async throws {
        var rng = SplitMix64(seed: 0x12AB)
        let (a, b) = try await Self.instances()
        defer { Self.stop(a, b) }
        let session = try await a.login("zhangwei")
        let r = try await UploadFixtures.register(a, session, data: UploadFixtures.png(300_000, &rng), client: "two")
        let location = try await UploadFixtures.location(a, session.token, r)
        let third = r.data.count / 3
        #expect(
            try await UploadFixtures.patch(a, session.token, location, offset: 0, r.data.prefix(third)).status == 204)
        let head = try await b.raw("HEAD", location, token: session.token, headers: UploadTests.tus)
        #expect(head.status == 200 && head.header("upload-offset") == String(third))
        #expect(
            try await UploadFixtures.patch(
                b, session.token, location, offset: third, r.data.subdata(in: third..<2 * third)
            ).status == 204)
        #expect(
            try await UploadFixtures.patch(
                a, session.token, location, offset: 2 * third, r.data.subdata(in: 2 * third..<r.data.count)
            ).status == 204)
        #expect(try await UploadFixtures.verified(b, r.materialId))
        for server in [a, b] {
            let fetched = try await server.raw(
                "GET", "/v1/materials/\(r.materialId)", token: session.token, headers: [])
            #expect(fetched.status == 200 && fetched.body == r.data)
        }
    }

    /// Two instances on one new database with the demo data; the first may hold each of its
    /// commits open for a random while after its rows are written.
    static func instances(firstCommitsSlowly: Bool = false) async throws -> (TestServer, TestServer) {
        var slowCommit: (@Sendable () -> Void)?
        if firstCommitsSlowly {
            slowCommit = { @Sendable in Thread.sleep(forTimeInterval: Double.random(in: 0...0.06)) }
        }
        let first = try await TestServer.start(beforeCommit: slowCommit)
        return (first, try await TestServer.start(sharing: first))
    }

    static func stop(_ first: TestServer, _ second: TestServer) {
        Task {
            await second.stop()
            await first.stop()
        }
    }

    static func push(_ device: StaffDevice, _ changes: [Change], after delay: Double) async throws -> [ChangeResult] {
        try await Task.sleep(for: .seconds(delay))
        return try await device.push(changes)
    }

    static func secondAgent(on server: TestServer) async throws -> StaffDevice {
        let password = "second-agent-pass-1"
        _ = try? await server.store.addAccount(
            NewAccount(
                login: "sz-agent2", role: .agent, orgId: "sl-sz", name: "第二经办",
                memberId: nil, passwordHash: try TestServer.hasher.hash(password)),
            now: Date())
        let session = try await server.api().post(
            "/v1/auth/login", LoginRequest(login: "sz-agent2", password: password), as: LoginResponse.self)
        return StaffDevice(server, token: session.token, clientId: "race-b-\(UUID().uuidString.prefix(6))")
    }

    func feedCount(_ server: TestServer, record: String) async throws -> Int {
        try await server.store.database.read { db in
            try db.fetchValue(
                Int.self, sql: "SELECT COUNT(*) FROM change_feed WHERE record_id = ?", arguments: [record])
                ?? -1
        }
    }
}

/// What one puller received, in order.
struct PullerLog: Sendable {
    let login: String
    let token: String
    var seqs: [Int64] = []
}

/// A flag shared by the tasks of one test.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var state = false
    var value: Bool {
        lock.lock()
        defer { lock.unlock() }
        return state
    }
    func set(_ value: Bool) {
        lock.lock()
        state = value
        lock.unlock()
    }
}

import Crypto
import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage
import TestSupport
import Testing

@testable import MemberCore
@testable import SyncServer

/// Property-based and fuzz tests of the whole API (issue 6, item 3): malformed and random
/// payloads against every route of docs/openapi.json, shaped by the document itself, over the
/// real HTTPS server and the real libcurl transport.
///
/// Properties checked on every answer:
/// - never a 5xx (and no dropped connection) for a client mistake;
/// - every 4xx (except to HEAD) carries `{"error":{"code","message"}}` with a non-empty message;
/// - a refused request leaves the store as it was;
/// - a protected route never answers 2xx without a valid token;
/// - the server keeps serving afterwards (health, login, a push that applies).
/// And for valid profile pushes sent twice, in random order and batch splits: each change id
/// is applied exactly once and every field ends at the value with the newest HLC stamp.
///
/// Everything random comes from `SplitMix64`, seeded from `API_FUZZ_SEED` (decimal or 0x-hex)
/// when set, otherwise a fixed seed; each request has its own derived generator, so a failure
/// message's "API_FUZZ_SEED=… request #n" names the exact request (ids the server makes, such
/// as upload ids, differ from run to run; the request's shape does not). `API_FUZZ_SCALE`
/// (default 1) multiplies the number of random requests for longer local runs.
///
/// The parts live beside this file: `APIFuzzRandom` (SplitMix64), `APIFuzzJSON` (JSON that may be
/// wrong on purpose), `APIFuzzOpenAPI` (the document), `APIFuzzGenerator` (schema → values and
/// mutations), `APIFuzzRouteRequests`, `APIFuzzPushes` and `APIFuzzRefusals` (the kinds of
/// request), and `APIFuzzSession` (server, tokens and the checks on each answer).
@Suite struct APIFuzzTests {
    static let seed: UInt64 = {
        guard let text = ProcessInfo.processInfo.environment["API_FUZZ_SEED"] else { return 0x5EED_0006_0003_2026 }
        return text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) ?? 0 : UInt64(text) ?? 0
    }()
    static let scale = max(1, Int(ProcessInfo.processInfo.environment["API_FUZZ_SCALE"] ?? "") ?? 1)

    // MARK: 1. Every route, every token kind, random headers and bodies

    @Test func everyRouteSurvivesRandomInput() async throws {
        let fuzz = try await FuzzSession.start(name: "routes", salt: 0)
        defer { Task { await fuzz.server.stop() } }
        var index = 0
        for op in fuzz.doc.operations {
            for mode in FuzzTokenMode.allCases {
                let rounds = Self.scale * (op.bodyType == "application/json" ? 10 : 6)
                for _ in 0..<rounds {
                    var gen = fuzz.generator(for: index)
                    let request = gen.request(for: op, mode: mode)
                    try await fuzz.exchange(request, index: index, operation: op)
                    index += 1
                }
            }
        }
        // Pushes that get past the envelope checks and into the tables' rules, by a member and
        // by a county agent (staff actions, staff claims).
        let push = try #require(fuzz.doc.operations.first { $0.method == "POST" && $0.path == "/v1/sync/push" })
        for i in 0..<(60 * Self.scale) {
            var gen = fuzz.generator(for: index)
            let staff = i % 6 == 5
            let request = gen.deepPushRequest(
                clientId: staff ? "fuzz-staff" : "fuzz-deep", seqBase: i * 10,
                staff: staff)
            try await fuzz.exchange(request, index: index, operation: push)
            index += 1
        }
        try await fuzz.expectStillServing()
        fuzz.report()
    }

    // MARK: 1b. Every client-writable field, at the edges of what FieldValue allows

    /// `FieldValue` (docs/openapi.json) admits null and any int64 for every field; a client
    /// sending one of those for any field a client may write must get an answer about that
    /// change, never a server error. Each change is pushed alone, so one failure hides none.
    @Test func edgeValuesInEveryClientFieldAreAnsweredNotFailed() async throws {
        let fuzz = try await FuzzSession.start(name: "edge-values", salt: 0xED6E)
        defer { Task { await fuzz.server.stop() } }
        let push = try #require(fuzz.doc.operations.first { $0.method == "POST" && $0.path == "/v1/sync/push" })
        var rng = SplitMix64(seed: fuzz.seed)
        // Which records each kind of account writes to: its own, where it has any.
        let targets: [(table: SyncTable, staff: Bool, record: () -> String)] = [
            (.profile, false, { fuzz.pools.memberId }),
            (.claim, false, { fuzz.pools.claimIds[0] }),
            (.claimMaterial, false, { fuzz.pools.ownMaterial }),
            (.claim, true, { fuzz.pools.claimIds[0] }),
            (.settlementSheet, true, { UUID().uuidString.lowercased() }),
            (.caseAction, true, { UUID().uuidString.lowercased() }),
        ]
        var index = 0
        for target in targets {
            for field in target.table.fields where field.owner == .client {
                var values: [FuzzJSON] = [.null]
                if field.kind == .integer { values += [.int(.max), .int(.min)] }
                for value in values {
                    let client = target.staff ? "edge-staff" : "edge"
                    let hlc = HLCTimestamp(
                        millis: fuzz.pools.hlcNow + Int64(index), counter: rng.int(0...9), node: client)
                    let change = FuzzJSON.object([
                        ("changeId", .string("\(client):\(index + 1)")), ("table", .string(target.table.name)),
                        ("recordId", .string(target.record())), ("op", .string("upsert")),
                        ("fields", .object([(field.name, value)])), ("hlc", .string(hlc.description)),
                    ])
                    let body = FuzzJSON.object([
                        ("protocolVersion", .int(1)), ("clientId", .string(client)), ("changes", .array([change])),
                    ])
                    let request = FuzzRequest(
                        method: "POST", path: "/v1/sync/push",
                        headers: [("Content-Type", "application/json"), (ProtocolVersion.header, "1")],
                        body: Data(body.text.utf8), mode: .member, staff: target.staff,
                        note: "\(target.table.name).\(field.name) = \(value.text)")
                    try await fuzz.exchange(request, index: index, operation: push)
                    index += 1
                }
            }
        }
        try await fuzz.expectStillServing()
        fuzz.report()
    }

    // MARK: 2. A batch of refused requests leaves the store exactly as it was

    @Test func refusedRequestsLeaveTheStoreUnchanged() async throws {
        let fuzz = try await FuzzSession.start(name: "refused", salt: 0xB10C_B10C)
        defer { Task { await fuzz.server.stop() } }
        let before = try await fuzz.server.storeFingerprint()
        let deepBefore = try await fuzz.deepFingerprint()
        for index in 0..<(90 * Self.scale) {
            var gen = fuzz.generator(for: index)
            let refused = gen.refusedRequest()
            let response = try await fuzz.exchange(
                refused.request, index: index, operation: nil, checkStorePerRequest: false)
            guard let response else { continue }
            #expect(
                refused.expected.contains(response.status),
                "\(fuzz.tag(index)) \(refused.why): expected \(refused.expected.sorted()), got \(response.status) \(fuzzPreview(response.body)) for \(refused.request.summary)"
            )
        }
        #expect(
            try await fuzz.server.storeFingerprint() == before, "\(fuzz.reproduce): the refused batch changed the store"
        )
        #expect(
            try await fuzz.deepFingerprint() == deepBefore,
            "\(fuzz.reproduce): the refused batch changed the store (deep)")
        try await fuzz.expectStillServing()
        fuzz.report()
    }

    // MARK: 4. Exactly once, newest stamp wins

    @Test func profilePushesApplyOnceAndTheNewestStampWins() async throws {
        let fuzz = try await FuzzSession.start(name: "exactly-once", salt: 0x0DD_BA11)
        defer { Task { await fuzz.server.stop() } }
        let me = fuzz.pools.memberId
        let accountId = try #require(
            try await fuzz.server.store.database.read { db in
                try db.fetchValue(String.self, sql: "SELECT id FROM account WHERE member_id = ?", arguments: [me])
            })
        // Per field, the newest stamp seen so far and its value, starting from what the row holds.
        let initial = try await fuzz.server.store.database.read { db in
            try ProfileTable().load(db, recordId: me)!.record
        }
        var latest: [String: (stamp: String, value: String?)] = [:]
        for (field, stamp) in initial.clocks { latest[field] = (stamp, initial.fields[field]?.stringValue) }
        let nowMillis = Int64(Date().timeIntervalSince1970 * 1000)
        var stamps = Set<String>()
        for round in 0..<(8 * Self.scale) {
            var rng = SplitMix64(seed: fuzz.seed &+ UInt64(round + 1) &* 0x9E37_79B9_7F4A_7C15)
            let tag = "[\(fuzz.reproduce) round \(round)]"
            // A few devices, each with a handful of valid profile edits.
            var changes: [Change] = []
            for client in (0..<rng.int(1...3)).map({ "r\(round)-dev\($0)" }) {
                for seq in 1...rng.int(2...5) {
                    var fields = FieldMap()
                    while fields.isEmpty {
                        if rng.chance(0.7) { fields["mobile"] = .string(rng.validMobile()) }
                        if rng.chance(0.4) { fields["bankAccount"] = .string(rng.digits(rng.int(12...30))) }
                        if rng.chance(0.4) { fields["bankName"] = .string(rng.validBankName()) }
                    }
                    // Ties on the millisecond and on the counter happen on purpose (the node then
                    // decides); a device never stamps two changes alike.
                    var hlc = ""
                    repeat {
                        let millis =
                            nowMillis + Int64(rng.int(0...3)) * 1_000
                            + (rng.chance(0.5) ? 0 : Int64(rng.int(1...600_000)))
                        hlc =
                            HLCTimestamp(
                                millis: millis, counter: rng.chance(0.6) ? 0 : rng.int(0...99_999), node: client
                            ).description
                    } while !stamps.insert(hlc).inserted
                    changes.append(
                        Change(
                            changeId: "\(client):\(seq)", table: "profile", recordId: me, op: .upsert,
                            fields: fields, hlc: hlc))
                }
            }
            // Every change twice, shuffled, then cut into batches of one client without repeats.
            var queue = (changes + changes).shuffled(using: &rng)
            var batches: [(client: String, changes: [Change])] = []
            while let first = queue.first {
                let client = String(first.changeId.split(separator: ":").first!)
                let size = rng.int(1...5)
                var batch: [Change] = []
                var rest: [Change] = []
                for change in queue {
                    if batch.count < size, change.changeId.hasPrefix(client + ":"),
                        !batch.contains(where: { $0.changeId == change.changeId }),
                        !rest.contains(where: { $0.changeId == change.changeId })
                    {
                        batch.append(change)
                    } else {
                        rest.append(change)
                    }
                }
                batches.append((client, batch))
                queue = rest
            }
            let feedSQL = "SELECT COUNT(*) FROM change_feed WHERE tbl = 'profile' AND record_id = ?"
            let feedBefore = try await fuzz.server.store.database.read { db in
                try db.fetchValue(Int.self, sql: feedSQL, arguments: [me]) ?? -1
            }
            // Sequentially, or in two lanes at once: the server must still apply each id once.
            let concurrent = rng.chance(0.5)
            let bodies = try batches.map {
                try JSONEncoder().encode(PushRequest(clientId: $0.client, changes: $0.changes))
            }
            let gzip = bodies.map { _ in rng.chance(0.3) }
            let token = fuzz.memberToken
            let server = fuzz.server
            let lanes = concurrent ? 2 : 1
            let answers = try await withThrowingTaskGroup(of: [(Int, HTTPResponse)].self) { group in
                for lane in 0..<lanes {
                    group.addTask {
                        let transport = server.transport()
                        var out: [(Int, HTTPResponse)] = []
                        for i in stride(from: lane, to: bodies.count, by: lanes) {
                            var headers = [
                                ("Content-Type", "application/json"), (ProtocolVersion.header, "1"),
                                ("Authorization", "Bearer \(token)"),
                            ]
                            if gzip[i] { headers.append(("Content-Encoding", "gzip")) }
                            let request = HTTPRequest(
                                method: "POST", url: server.baseURL + "/v1/sync/push", headers: headers,
                                body: gzip[i] ? try Gzip.compress(bodies[i]) : bodies[i], timeout: 30)
                            out.append((i, try await transport.send(request)))
                        }
                        return out
                    }
                }
                var all: [(Int, HTTPResponse)] = []
                for try await part in group { all += part }
                return all.sorted { $0.0 < $1.0 }
            }
            fuzz.sent += answers.count
            var fresh: [String: Int] = [:]
            var replays: [String: Int] = [:]
            for (i, response) in answers {
                fuzz.statuses[response.status, default: 0] += 1
                guard response.status == 200,
                    let decoded = try? JSONDecoder().decode(PushResponse.self, from: response.body)
                else {
                    Issue.record(
                        "\(tag) batch \(i) of \(batches[i].changes.map(\.changeId)): \(response.status) \(fuzzPreview(response.body))"
                    )
                    continue
                }
                #expect(decoded.results.map(\.changeId) == batches[i].changes.map(\.changeId), "\(tag) batch \(i)")
                for result in decoded.results {
                    #expect(result.status == .applied, "\(tag) \(result.changeId): \(result.reason ?? "")")
                    if result.replayed {
                        replays[result.changeId, default: 0] += 1
                    } else {
                        fresh[result.changeId, default: 0] += 1
                    }
                }
            }
            for change in changes {
                #expect(
                    fresh[change.changeId] == 1 && replays[change.changeId] == 1,
                    "\(tag) \(change.changeId): applied fresh \(fresh[change.changeId] ?? 0)×, as a replay \(replays[change.changeId] ?? 0)×"
                )
            }

            // The model: per field, the value of the newest stamp. Applied in the order sent (which
            // counts the changes that moved a clock); the final values do not depend on the order.
            var effective = 0
            var effectiveBatches = 0  // a batch's changes all go to one profile: one run, one entry
            var seen = Set<String>()
            for batch in batches {
                let effectiveBefore = effective
                defer { if effective > effectiveBefore { effectiveBatches += 1 } }
                for change in batch.changes where seen.insert(change.changeId).inserted {
                    var moved = false
                    for (field, value) in change.fields.sorted(by: { $0.key < $1.key })
                    where change.hlc > (latest[field]?.stamp ?? "") {
                        latest[field] = (change.hlc, value.stringValue)
                        moved = true
                    }
                    if moved { effective += 1 }
                }
            }
            let ids = changes.map(\.changeId)
            let (rows, stored, feedAfter) = try await fuzz.server.store.database.read { db in
                let marks = ids.map { _ in "?" }.joined(separator: ",")
                let rows =
                    try db.fetchValue(
                        Int.self,
                        sql: "SELECT COUNT(*) FROM applied_change WHERE account_id = ? AND change_id IN (\(marks))",
                        arguments: SQLArguments(([accountId] + ids).map { SQLValue.text($0) })) ?? -1
                let row = try db.fetchOne(
                    sql: "SELECT mobile, bank_account, bank_name FROM member WHERE id = ?", arguments: [me])!
                let mobile: String? = try row["mobile"]
                let account: String? = try row["bank_account"]
                let bank: String? = try row["bank_name"]
                let stored: [String: String?] = ["mobile": mobile, "bankAccount": account, "bankName": bank]
                return (rows, stored, try db.fetchValue(Int.self, sql: feedSQL, arguments: [me]) ?? -1)
            }
            #expect(rows == changes.count, "\(tag): \(rows) applied_change rows for \(changes.count) change ids")
            for field in ["mobile", "bankAccount", "bankName"] {
                #expect(
                    stored[field] ?? nil == latest[field]?.value,
                    "\(tag): \(field) is \(String(describing: stored[field] ?? nil)), the newest stamp \(latest[field]?.stamp ?? "-") set \(String(describing: latest[field]?.value))"
                )
            }
            if !concurrent {
                #expect(
                    feedAfter - feedBefore == effectiveBatches,
                    "\(tag): \(feedAfter - feedBefore) feed entries for \(effectiveBatches) batches with an effective change (of \(effective); a replay must add none)"
                )
            }
        }
        try await fuzz.expectStillServing()
        fuzz.report()
    }
}

import Crypto
import Foundation
import GRDB
@testable import MemberCore
import MutualAidDomain
@testable import SyncServer
import Testing

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
            let request = gen.deepPushRequest(clientId: staff ? "fuzz-staff" : "fuzz-deep", seqBase: i * 10,
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
                    let hlc = HLCTimestamp(millis: fuzz.pools.hlcNow + Int64(index), counter: rng.int(0...9), node: client)
                    let change = FuzzJSON.object([
                        ("changeId", .string("\(client):\(index + 1)")), ("table", .string(target.table.name)),
                        ("recordId", .string(target.record())), ("op", .string("upsert")),
                        ("fields", .object([(field.name, value)])), ("hlc", .string(hlc.description)),
                    ])
                    let body = FuzzJSON.object([("protocolVersion", .int(1)), ("clientId", .string(client)), ("changes", .array([change]))])
                    let request = FuzzRequest(method: "POST", path: "/v1/sync/push",
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
            let response = try await fuzz.exchange(refused.request, index: index, operation: nil, checkStorePerRequest: false)
            guard let response else { continue }
            #expect(refused.expected.contains(response.status),
                    "\(fuzz.tag(index)) \(refused.why): expected \(refused.expected.sorted()), got \(response.status) \(fuzzPreview(response.body)) for \(refused.request.summary)")
        }
        #expect(try await fuzz.server.storeFingerprint() == before, "\(fuzz.reproduce): the refused batch changed the store")
        #expect(try await fuzz.deepFingerprint() == deepBefore, "\(fuzz.reproduce): the refused batch changed the store (deep)")
        try await fuzz.expectStillServing()
        fuzz.report()
    }

    // MARK: 4. Exactly once, newest stamp wins

    @Test func profilePushesApplyOnceAndTheNewestStampWins() async throws {
        let fuzz = try await FuzzSession.start(name: "exactly-once", salt: 0x0DD_BA11)
        defer { Task { await fuzz.server.stop() } }
        let me = fuzz.pools.memberId
        let accountId = try #require(try await fuzz.server.store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM account WHERE member_id = ?", arguments: [me])
        })
        // Per field, the newest stamp seen so far and its value, starting from what the row holds.
        let initial = try await fuzz.server.store.pool.read { db in try ProfileTable().load(db, recordId: me)!.record }
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
                        let millis = nowMillis + Int64(rng.int(0...3)) * 1_000 + (rng.chance(0.5) ? 0 : Int64(rng.int(1...600_000)))
                        hlc = HLCTimestamp(millis: millis, counter: rng.chance(0.6) ? 0 : rng.int(0...99_999), node: client).description
                    } while !stamps.insert(hlc).inserted
                    changes.append(Change(changeId: "\(client):\(seq)", table: "profile", recordId: me, op: .upsert,
                                          fields: fields, hlc: hlc))
                }
            }
            // Every change twice, shuffled, then cut into batches of one client without repeats.
            var queue = (changes + changes).shuffled(using: &rng)
            var batches: [(client: String, changes: [Change])] = []
            while let first = queue.first {
                let client = String(first.changeId.split(separator: ":").first!)
                let size = rng.int(1...5)
                var batch: [Change] = [], rest: [Change] = []
                for change in queue {
                    if batch.count < size, change.changeId.hasPrefix(client + ":"), !batch.contains(where: { $0.changeId == change.changeId }),
                       !rest.contains(where: { $0.changeId == change.changeId }) {
                        batch.append(change)
                    } else {
                        rest.append(change)
                    }
                }
                batches.append((client, batch))
                queue = rest
            }
            let feedSQL = "SELECT COUNT(*) FROM change_feed WHERE tbl = 'profile' AND record_id = ?"
            let feedBefore = try await fuzz.server.store.pool.read { db in try Int.fetchOne(db, sql: feedSQL, arguments: [me]) ?? -1 }
            // Sequentially, or in two lanes at once: the server must still apply each id once.
            let concurrent = rng.chance(0.5)
            let bodies = try batches.map { try JSONEncoder().encode(PushRequest(clientId: $0.client, changes: $0.changes)) }
            let gzip = bodies.map { _ in rng.chance(0.3) }
            let token = fuzz.memberToken, server = fuzz.server, lanes = concurrent ? 2 : 1
            let answers = try await withThrowingTaskGroup(of: [(Int, HTTPResponse)].self) { group in
                for lane in 0..<lanes {
                    group.addTask {
                        let transport = server.transport()
                        var out: [(Int, HTTPResponse)] = []
                        for i in stride(from: lane, to: bodies.count, by: lanes) {
                            var headers = [("Content-Type", "application/json"), (ProtocolVersion.header, "1"),
                                           ("Authorization", "Bearer \(token)")]
                            if gzip[i] { headers.append(("Content-Encoding", "gzip")) }
                            let request = HTTPRequest(method: "POST", url: server.baseURL + "/v1/sync/push", headers: headers,
                                                      body: gzip[i] ? Gzip.compress(bodies[i]) : bodies[i], timeout: 30)
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
            var fresh: [String: Int] = [:], replays: [String: Int] = [:]
            for (i, response) in answers {
                fuzz.statuses[response.status, default: 0] += 1
                guard response.status == 200, let decoded = try? JSONDecoder().decode(PushResponse.self, from: response.body) else {
                    Issue.record("\(tag) batch \(i) of \(batches[i].changes.map(\.changeId)): \(response.status) \(fuzzPreview(response.body))")
                    continue
                }
                #expect(decoded.results.map(\.changeId) == batches[i].changes.map(\.changeId), "\(tag) batch \(i)")
                for result in decoded.results {
                    #expect(result.status == .applied, "\(tag) \(result.changeId): \(result.reason ?? "")")
                    if result.replayed { replays[result.changeId, default: 0] += 1 } else { fresh[result.changeId, default: 0] += 1 }
                }
            }
            for change in changes {
                #expect(fresh[change.changeId] == 1 && replays[change.changeId] == 1,
                        "\(tag) \(change.changeId): applied fresh \(fresh[change.changeId] ?? 0)×, as a replay \(replays[change.changeId] ?? 0)×")
            }

            // The model: per field, the value of the newest stamp. Applied in the order sent (which
            // counts the changes that moved a clock); the final values do not depend on the order.
            var effective = 0
            var seen = Set<String>()
            for batch in batches {
                for change in batch.changes where seen.insert(change.changeId).inserted {
                    var moved = false
                    for (field, value) in change.fields.sorted(by: { $0.key < $1.key }) where change.hlc > (latest[field]?.stamp ?? "") {
                        latest[field] = (change.hlc, value.stringValue)
                        moved = true
                    }
                    if moved { effective += 1 }
                }
            }
            let ids = changes.map(\.changeId)
            let (rows, stored, feedAfter) = try await fuzz.server.store.pool.read { db in
                let marks = ids.map { _ in "?" }.joined(separator: ",")
                let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM applied_change WHERE account_id = ? AND change_id IN (\(marks))",
                                            arguments: StatementArguments([accountId] + ids)) ?? -1
                let row = try Row.fetchOne(db, sql: "SELECT mobile, bank_account, bank_name FROM member WHERE id = ?", arguments: [me])!
                let mobile: String? = row["mobile"], account: String? = row["bank_account"], bank: String? = row["bank_name"]
                let stored: [String: String?] = ["mobile": mobile, "bankAccount": account, "bankName": bank]
                return (rows, stored, try Int.fetchOne(db, sql: feedSQL, arguments: [me]) ?? -1)
            }
            #expect(rows == changes.count, "\(tag): \(rows) applied_change rows for \(changes.count) change ids")
            for field in ["mobile", "bankAccount", "bankName"] {
                #expect(stored[field] ?? nil == latest[field]?.value,
                        "\(tag): \(field) is \(String(describing: stored[field] ?? nil)), the newest stamp \(latest[field]?.stamp ?? "-") set \(String(describing: latest[field]?.value))")
            }
            if !concurrent {
                #expect(feedAfter - feedBefore == effective,
                        "\(tag): \(feedAfter - feedBefore) feed entries for \(effective) effective changes (a replay must add none)")
            }
        }
        try await fuzz.expectStillServing()
        fuzz.report()
    }
}

// MARK: - Deterministic randomness

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, and the same sequence for a seed everywhere.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
    mutating func bytes(_ n: Int) -> Data { Data((0..<n).map { _ in UInt8.random(in: 0...255, using: &self) }) }
    mutating func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(int(0...9))) }) }
    mutating func hex(_ n: Int) -> String { String((0..<n).map { _ in pick(Array("0123456789abcdef")) }) }
    mutating func uuid() -> String { "\(hex(8))-\(hex(4))-4\(hex(3))-\(pick(["8", "9", "a", "b"]))\(hex(3))-\(hex(12))" }
    mutating func validMobile() -> String { "1" + pick(["3", "5", "7", "8", "9"]) + digits(9) }

    mutating func validBankName() -> String {
        let name = pick(["中国工商银行", "中国建设银行", "中国农业银行", "招商银行", "商洛农商银行", "Bank of China"])
            + pick(["", "商洛分行", "商州支行", "洛南县支行营业部", String(repeating: "银", count: int(1...20))])
        return padded(name)
    }

    /// Sometimes with blanks around it: the rule trims before it counts, the store keeps the text.
    private mutating func padded(_ s: String) -> String { chance(0.1) ? " \(s) " : s }

    static let ascii = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:")
    static let cjk = Array("张伟李娜王芳银行账号手机中国工商建设农业招商商洛分行会员申领材料住院出院结算")
    static let odd = ["\u{0}", "\u{7}", "\u{1B}", "\u{200B}", "\u{202E}", "\u{FEFF}", "\u{FFFF}", "\u{10FFFF}", "e\u{301}\u{301}\u{301}",
                      "👨‍👩‍👧‍👦", "🏦", "𝕏", "\\", "\"", "'", "<script>", "%00", "../", "\r\n", "\t", "' OR 1=1 --", "NULL",
                      "\u{D7FF}", "\u{E000}", "ﷺ", "Ⅻ", "١٢٣", "１２３"]

    /// Random text: mostly letters and digits, some Chinese, some troublesome scalars.
    mutating func text(_ length: Int) -> String {
        var out = ""
        out.reserveCapacity(length)
        for _ in 0..<length {
            switch int(0...9) {
            case 0...5: out.append(pick(Self.ascii))
            case 6...8: out.append(pick(Self.cjk))
            default: out += pick(Self.odd)
            }
        }
        return out
    }

    /// Header-safe text: visible ASCII and spaces inside, nothing curl or HTTP would split on.
    mutating func headerText(_ length: Int) -> String {
        let visible = (0x21...0x7E).map { Character(UnicodeScalar(UInt8($0))) }
        return String((0..<max(1, length)).map { i in i > 0 && i < length - 1 && chance(0.05) ? " " : pick(visible) })
    }
}

func fuzzHex(_ seed: UInt64) -> String { "0x" + String(seed, radix: 16) }

/// A body or answer, short and escaped, for failure messages.
func fuzzPreview(_ data: Data, limit: Int = 240) -> String {
    let text = String(decoding: data.prefix(limit), as: UTF8.self)
    return text.debugDescription + (data.count > limit ? "…(\(data.count) bytes)" : "")
}

// MARK: - JSON that may be wrong on purpose

/// JSON text built by hand, so it can hold what no encoder writes: raw number tokens out of
/// every range, duplicate keys, invalid escapes, nesting deeper than any parser allows.
indirect enum FuzzJSON {
    case null
    case bool(Bool)
    case int(Int64)
    case number(String)
    case string(String)
    case raw(String)
    case array([FuzzJSON])
    case object([(String, FuzzJSON)])

    init(any: Any) {
        switch any {
        case let s as String: self = .string(s)
        case let i as Int: self = .int(Int64(i))
        case let d as Double: self = .number(String(d))
        case let a as [Any]: self = .array(a.map(FuzzJSON.init(any:)))
        case let o as [String: Any]: self = .object(o.keys.sorted().map { ($0, FuzzJSON(any: o[$0]!)) })
        default: self = .null
        }
    }

    var text: String {
        var out = ""
        write(&out)
        return out
    }

    func write(_ out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let n), .raw(let n): out += n
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(&out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                Self.quote(key, into: &out)
                out += ":"
                value.write(&out)
            }
            out += "}"
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }

    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int, .number: "number"
        case .string: "string"
        case .raw: "raw"
        case .array: "array"
        case .object: "object"
        }
    }

    // Paths into the tree: each step is an index into an array's items or an object's members.
    func paths(prefix: [Int] = [], into out: inout [[Int]]) {
        out.append(prefix)
        switch self {
        case .array(let items): for (i, item) in items.enumerated() { item.paths(prefix: prefix + [i], into: &out) }
        case .object(let members): for (i, m) in members.enumerated() { m.1.paths(prefix: prefix + [i], into: &out) }
        default: break
        }
    }

    func node(at path: ArraySlice<Int>) -> FuzzJSON? {
        guard let step = path.first else { return self }
        switch self {
        case .array(let items) where step < items.count: return items[step].node(at: path.dropFirst())
        case .object(let members) where step < members.count: return members[step].1.node(at: path.dropFirst())
        default: return nil
        }
    }

    func replacing(at path: ArraySlice<Int>, with value: FuzzJSON) -> FuzzJSON {
        guard let step = path.first else { return value }
        switch self {
        case .array(var items) where step < items.count:
            items[step] = items[step].replacing(at: path.dropFirst(), with: value)
            return .array(items)
        case .object(var members) where step < members.count:
            members[step].1 = members[step].1.replacing(at: path.dropFirst(), with: value)
            return .object(members)
        default: return self
        }
    }

    subscript(key: String) -> FuzzJSON? {
        if case .object(let members) = self { return members.last { $0.0 == key }?.1 }
        return nil
    }

    func setting(_ key: String, _ value: FuzzJSON) -> FuzzJSON {
        guard case .object(var members) = self else { return self }
        if let i = members.firstIndex(where: { $0.0 == key }) { members[i].1 = value } else { members.append((key, value)) }
        return .object(members)
    }
}

// MARK: - The OpenAPI document

/// docs/openapi.json, read once per test: every operation with its resolved parameters and
/// request body schema.
final class FuzzOpenAPI {
    struct Operation {
        let method: String
        let path: String
        let isPublic: Bool
        let parameters: [[String: Any]]
        let bodySchema: [String: Any]?
        let bodyType: String?
        let statuses: [String]
        var label: String { "\(method) \(path)" }
        func parameters(in place: String) -> [[String: Any]] { parameters.filter { $0["in"] as? String == place } }
    }

    let root: [String: Any]
    private(set) var operations: [Operation] = []

    init() throws {
        root = try JSONSerialization.jsonObject(with: Data(contentsOf: OpenAPIDocumentTests.document)) as! [String: Any]
        let globalSecurity = root["security"] as? [Any] ?? []
        let paths = root["paths"] as? [String: Any] ?? [:]
        for path in paths.keys.sorted() {
            guard let item = paths[path] as? [String: Any] else { continue }
            let shared = item["parameters"] as? [Any] ?? []
            for method in ["get", "head", "post", "put", "patch", "delete", "options"] {
                guard let op = item[method] as? [String: Any] else { continue }
                let security = op["security"] as? [Any] ?? globalSecurity
                let body = resolve(op["requestBody"])
                let content = body["content"] as? [String: Any] ?? [:]
                let type = content.keys.sorted().first
                let schema = type.flatMap { (content[$0] as? [String: Any])?["schema"] }.map(resolve)
                operations.append(Operation(
                    method: method.uppercased(), path: path, isPublic: security.isEmpty,
                    parameters: (shared + (op["parameters"] as? [Any] ?? [])).map(resolve),
                    bodySchema: schema, bodyType: type,
                    statuses: (op["responses"] as? [String: Any] ?? [:]).keys.sorted()))
            }
        }
    }

    /// Follows `$ref`s (keeping sibling keys such as a description) to a schema object.
    func resolve(_ value: Any?) -> [String: Any] {
        guard var object = value as? [String: Any] else { return [:] }
        for _ in 0..<16 {
            guard let ref = object["$ref"] as? String, ref.hasPrefix("#/") else { break }
            var node: Any? = root
            for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] }
            var target = node as? [String: Any] ?? [:]
            for (key, value) in object where key != "$ref" && target[key] == nil { target[key] = value }
            object = target
        }
        return object
    }

    /// The `code`-quoted words of a description: the values the document names for a field.
    static func hints(_ schema: [String: Any]) -> [String] {
        guard let text = schema["description"] as? String else { return [] }
        return text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 && !$0.element.contains(" ") && !$0.element.isEmpty }
            .map { String($0.element) }
    }
}

// MARK: - Requests

enum FuzzTokenMode: String, CaseIterable { case member, forged, none }

struct FuzzRequest {
    var method: String
    var path: String
    var headers: [(String, String)] = []
    var body: Data?
    var mode: FuzzTokenMode
    /// Named authorization for the session to fill in (member or staff token); forged tokens are in `headers`.
    var staff = false
    var note: String
    /// True when the id or query is garbage that may not even reach the route.
    var garbagePath = false

    /// A header value HTTP itself forbids (a control character such as DEL): the HTTP parser
    /// refuses the message before the application sees it, with a bare 400.
    var malformedHTTP: Bool {
        headers.contains { $0.1.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F } }
    }

    var gzipped: Bool { headers.contains { $0.0 == "Content-Encoding" && $0.1.lowercased() == "gzip" } }

    /// The body as the server reads it: inflated when sent as gzip.
    var plainBody: Data? {
        guard let body, gzipped else { return body }
        return (try? Gzip.decompress(body, limit: ProtocolVersion.maxInflatedBytes)) ?? body
    }

    var summary: String {
        let shownHeaders = headers.map { "\($0.0): \($0.1.count > 80 ? String($0.1.prefix(80)) + "…" : $0.1)" }
        return "\(method) \(path.count > 160 ? String(path.prefix(160)) + "…" : path) token=\(staff ? "staff" : mode.rawValue) "
            + "headers=\(shownHeaders) body[\(note)]=\(body.map { fuzzPreview($0, limit: 160) } ?? "none")"
    }
}

/// What the generators draw ids and names from: the demo data and records made for the test.
struct FuzzPools {
    var memberId = "m-001"
    var otherMemberIds = ["m-002", "m-003"]
    var enrolmentIds: [String] = []
    var standardIds: [String] = []
    var items: [String] = []
    var claimIds: [String] = []
    var materialIds: [String] = []
    var ownUpload = "", foreignUpload = ""
    var ownMaterial = "", foreignMaterial = ""
    /// Logins the fuzzer may fail against: never the member whose token it uses, nor the staff login.
    var logins = ["lina", "wangfang", "unit002", "office2602", "finance2602", "sl-agent"]
    var hlcNow: Int64 = Int64(Date().timeIntervalSince1970 * 1000)
}

/// Builds one request from the document, a token kind and a private random stream.
struct FuzzGenerator {
    var rng: SplitMix64
    let doc: FuzzOpenAPI
    let pools: FuzzPools

    static let allFieldNames = Array(Set(SyncTable.all.flatMap { $0.fields.map(\.name) })).sorted()
    static let caseActions = ["acquire", "release", "calculate", "restrict", "card-change", "supplementary-payment", "archive",
                              "cancel", "expert", "final-review", "investigation", "pay", "push", "resume", "review",
                              "submit-costs", "supplement", "suspend", "resubmit"]

    // MARK: Schema → value

    mutating func value(_ schemaValue: Any?, key: String?, depth: Int = 0) -> FuzzJSON {
        let s = doc.resolve(schemaValue)
        if let c = s["const"] { return FuzzJSON(any: c) }
        if let e = s["enum"] as? [Any], !e.isEmpty { return FuzzJSON(any: rng.pick(e)) }
        if let all = s["allOf"] as? [Any], !all.isEmpty {
            var merged: [String: Any] = [:]
            for part in all { for (k, v) in doc.resolve(part) { merged[k] = v } }
            for (k, v) in s where k != "allOf" { merged[k] = v }
            return value(merged, key: key, depth: depth)
        }
        if let options = (s["oneOf"] ?? s["anyOf"]) as? [Any], !options.isEmpty {
            return value(rng.pick(options), key: key, depth: depth)
        }
        if let pooled = pooledValue(key: key), rng.chance(0.7) { return pooled }
        var type = s["type"] as? String
        if let types = s["type"] as? [String], !types.isEmpty { type = rng.pick(types) }
        if type == nil, s["properties"] != nil { type = "object" }
        switch type {
        case "string": return .string(string(s))
        case "integer":
            let low = (s["minimum"] as? Int) ?? -1_000, high = max(low, (s["maximum"] as? Int) ?? 1_000_000)
            if let example = (s["examples"] as? [Any])?.first as? Int, rng.chance(0.5) { return .int(Int64(example)) }
            return .int(Int64(rng.int(low...high)))
        case "number": return .number(String(Double(rng.int(-1000...1000)) / 8))
        case "boolean": return .bool(rng.chance(0.5))
        case "null": return .null
        case "array":
            guard depth < 6 else { return .array([]) }
            let low = (s["minItems"] as? Int) ?? 0, high = max(low, min((s["maxItems"] as? Int) ?? 4, 4))
            return .array((0..<rng.int(low...high)).map { _ in value(s["items"], key: key, depth: depth + 1) })
        case "object":
            guard depth < 6 else { return .object([]) }
            let properties = s["properties"] as? [String: Any] ?? [:]
            let required = Set(s["required"] as? [String] ?? [])
            var members: [(String, FuzzJSON)] = []
            for name in properties.keys.sorted() where required.contains(name) || rng.chance(0.6) {
                members.append((name, value(properties[name], key: name, depth: depth + 1)))
            }
            if let extra = s["additionalProperties"] as? [String: Any] {
                for _ in 0..<rng.int(0...3) {
                    let name = rng.chance(0.8) ? rng.pick(Self.allFieldNames) : rng.text(rng.int(1...12))
                    members.append((name, value(extra, key: name, depth: depth + 1)))
                }
            }
            return .object(members)
        default:
            return randomValue(depth: depth)
        }
    }

    mutating func string(_ s: [String: Any]) -> String {
        if let pattern = s["pattern"] as? String, pattern.hasPrefix("^[0-9]{16}-[0-9]{5}-") { return hlc(node: "fuzz") }
        let hints = FuzzOpenAPI.hints(s)
        if !hints.isEmpty, rng.chance(0.7) { return rng.pick(hints) }
        if let examples = s["examples"] as? [String], !examples.isEmpty, rng.chance(0.5) { return rng.pick(examples) }
        let low = (s["minLength"] as? Int) ?? 0, high = max(low, (s["maxLength"] as? Int) ?? 24)
        return rng.text(rng.int(low...min(high, low + 40)))
    }

    /// Ids and names the document describes in words: the test fills them from the demo data.
    mutating func pooledValue(key: String?) -> FuzzJSON? {
        switch key {
        case "recordId": return .string(rng.pick([pools.memberId, rng.pick(pools.otherMemberIds), rng.uuid()] + pools.claimIds))
        case "login": return .string(rng.chance(0.8) ? rng.pick(pools.logins) : rng.text(rng.int(0...70)))
        case "password": return .string(rng.text(rng.pick([0, 8, 16, 257, 300])))
        case "clientId": return .string(rng.pick(["fuzz", "fuzz-\(rng.int(0...9))", rng.uuid()]))
        default: return nil
        }
    }

    mutating func randomValue(depth: Int) -> FuzzJSON {
        switch rng.int(0...(depth > 3 ? 4 : 6)) {
        case 0: return .null
        case 1: return .bool(rng.chance(0.5))
        case 2: return .int(Int64.random(in: .min ... .max, using: &rng))
        case 3: return .string(rng.text(rng.int(0...30)))
        case 4: return .number(rng.pick(["0.5", "-0", "1e3", "3.14159"]))
        case 5: return .array((0..<rng.int(0...3)).map { _ in randomValue(depth: depth + 1) })
        default: return .object((0..<rng.int(0...3)).map { _ in (rng.text(rng.int(1...8)), randomValue(depth: depth + 1)) })
        }
    }

    mutating func hlc(node: String) -> String {
        switch rng.int(0...19) {
        case 0: return "9999999999999999-99999-\(node)"  // far future: refused by the skew rule
        case 1: return "0000000000000000-00000-\(node)"
        case 2: return rng.pick(["", "x", "0001764380740123-00000-", "1764380740123-0-\(node)", "0001764380740123-000a0-\(node)",
                                 "-0001764380740-00000-\(node)", "0001764380740123-00000"])
        default:
            let stamp = HLCTimestamp(millis: pools.hlcNow + Int64(rng.int(-86_400_000...3_600_000)), counter: rng.int(0...99_999),
                                     node: node)
            return stamp.description
        }
    }

    /// Gives a generated push body what its descriptions ask for (change ids "clientId:seq",
    /// the clock's node), so that mutations start from something the server would take.
    mutating func coherentPush(_ body: FuzzJSON) -> FuzzJSON {
        guard case .string(let client)? = body["clientId"], case .array(let changes)? = body["changes"] else { return body }
        let fixed = changes.enumerated().map { i, change -> FuzzJSON in
            var c = change.setting("changeId", .string("\(client):\(i + 1 + rng.int(0...1000) * 10)"))
            if rng.chance(0.5) { c = c.setting("hlc", .string(hlc(node: client))) }
            return c
        }
        return body.setting("protocolVersion", .int(1)).setting("changes", .array(fixed))
    }

    // MARK: Mutations

    enum Mutation: String, CaseIterable {
        case wrongType, dropKey, extraKey, hugeString, deepNesting, unicode, outOfRange, null, duplicateKey, emptyContainer,
             badEscape, rootScalar
    }

    mutating func mutate(_ value: FuzzJSON, count: Int, heavyAllowed: Bool, applied: inout [String]) -> FuzzJSON {
        var v = value
        var heavy = !heavyAllowed
        for _ in 0..<count {
            var all: [[Int]] = []
            v.paths(into: &all)
            let path = rng.pick(all)
            guard let target = v.node(at: path[...]) else { continue }
            var mutation = rng.pick(Mutation.allCases)
            if heavy, mutation == .hugeString || mutation == .deepNesting { mutation = .wrongType }
            applied.append(mutation.rawValue)
            switch mutation {
            case .wrongType:
                var replacement = randomValue(depth: 3)
                for _ in 0..<4 where replacement.kind == target.kind { replacement = randomValue(depth: 3) }
                v = v.replacing(at: path[...], with: replacement)
            case .dropKey:
                let objects = all.filter { if case .object(let m)? = v.node(at: $0[...]) { !m.isEmpty } else { false } }
                guard let at = objects.isEmpty ? nil : rng.pick(objects), case .object(var members)? = v.node(at: at[...]) else { continue }
                members.remove(at: rng.int(0...members.count - 1))
                v = v.replacing(at: at[...], with: .object(members))
            case .extraKey, .duplicateKey:
                let objects = all.filter { if case .object? = v.node(at: $0[...]) { true } else { false } }
                guard let at = objects.isEmpty ? nil : rng.pick(objects), case .object(var members)? = v.node(at: at[...]) else { continue }
                let key = mutation == .duplicateKey && !members.isEmpty ? rng.pick(members).0
                    : rng.pick(Self.allFieldNames + ["__proto__", "", rng.text(rng.int(1...20)), "protocolVersion", "changes"])
                members.insert((key, randomValue(depth: 2)), at: rng.int(0...members.count))
                v = v.replacing(at: at[...], with: .object(members))
            case .hugeString:
                heavy = true
                let n = rng.pick([5_000, 70_000, 300_000])
                let unit = rng.pick(["a", "银", "🏦", "\\", "\u{301}"])
                v = v.replacing(at: path[...], with: .string(String(repeating: unit, count: n)))
            case .deepNesting:
                heavy = true
                let depth = rng.pick([64, 511, 513, 2_000, 20_000])
                let nested = rng.chance(0.5)
                    ? String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
                    : String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
                v = v.replacing(at: path[...], with: .raw(nested))
            case .unicode:
                let weird = (0..<rng.int(1...12)).map { _ in rng.pick(SplitMix64.odd) }.joined()
                v = v.replacing(at: path[...], with: .string(weird))
            case .outOfRange:
                v = v.replacing(at: path[...], with: .number(rng.pick([
                    "9223372036854775808", "-9223372036854775809", "18446744073709551616", "1e400", "-1e400", "1e-400",
                    "123456789012345678901234567890", "1.5", "-0", "0.1e1", "1E2", "2147483648", "-2147483649", "00", "+1",
                ])))
            case .null:
                v = v.replacing(at: path[...], with: .null)
            case .emptyContainer:
                v = v.replacing(at: path[...], with: rng.chance(0.5) ? .array([]) : .object([]))
            case .badEscape:
                v = v.replacing(at: path[...], with: .raw(rng.pick([#""\ud800""#, #""\udc00\ud800""#, #""\u12""#, #""\x41""#,
                                                                     "\"\u{1}\"", #""abc"#, "'single'", "NaN", "Infinity", "undefined"])))
            case .rootScalar:
                v = rng.pick([.null, .int(1), .string("{}"), .array([v]), .bool(true)])
            }
        }
        return v
    }

    // MARK: Whole requests

    enum BodyKind: String, CaseIterable { case mutated, valid, randomBytes, truncated, gzipJSON, corruptGzip, empty, none }

    mutating func request(for op: FuzzOpenAPI.Operation, mode: FuzzTokenMode) -> FuzzRequest {
        var r = FuzzRequest(method: op.method, path: op.path, mode: mode, note: "none")
        let path = fillPath(op, &r)
        r.path = path + query(op)

        // The body: shaped by the operation's request body schema, then spoiled.
        var contentType: String? = nil
        var gzipped = false
        if op.method != "HEAD" {
            if op.bodyType == "application/json", let schema = op.bodySchema {
                let kind = rng.pick(BodyKind.allCases + [.mutated, .mutated, .mutated])
                var base = value(schema, key: nil)
                if op.path.hasSuffix("/sync/push") { base = coherentPush(base) }
                var applied: [String] = []
                switch kind {
                case .mutated:
                    base = mutate(base, count: rng.int(1...3), heavyAllowed: true, applied: &applied)
                    r.body = Data(base.text.utf8)
                case .valid: r.body = Data(base.text.utf8)
                case .randomBytes: r.body = rng.bytes(rng.int(1...2_048))
                case .truncated:
                    let text = Data(base.text.utf8)
                    r.body = text.prefix(rng.int(0...max(0, text.count - 1)))
                case .gzipJSON:
                    if rng.chance(0.5) { base = mutate(base, count: 1, heavyAllowed: true, applied: &applied) }
                    r.body = Gzip.compress(Data(base.text.utf8)); gzipped = true
                case .corruptGzip:
                    var data = Gzip.compress(Data(base.text.utf8))
                    if rng.chance(0.5) { data = data.prefix(rng.int(0...data.count - 1)) } else {
                        for _ in 0..<rng.int(1...4) { data[rng.int(0...data.count - 1)] ^= UInt8(rng.int(1...255)) }
                    }
                    r.body = data; gzipped = true
                case .empty: r.body = Data()
                case .none: r.body = nil
                }
                r.note = kind.rawValue + (applied.isEmpty ? "" : " " + applied.joined(separator: "+"))
                contentType = rng.chance(0.75) ? rng.pick(["application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
                                                            "application/json;charset=gbk"]) : garbageContentType()
            } else if op.bodyType == "application/offset+octet-stream" {
                r.body = rng.chance(0.8) ? rng.bytes(rng.pick([0, 1, 100, 4_096])) : Data(value(nil, key: nil).text.utf8)
                r.note = "octets"
                contentType = rng.chance(0.6) ? "application/offset+octet-stream" : garbageContentType()
            } else if rng.chance(0.2) {
                // A body where none is expected.
                r.body = rng.chance(0.5) ? rng.bytes(rng.int(1...512)) : Data(randomValue(depth: 0).text.utf8)
                r.note = "unexpected body"
                contentType = rng.chance(0.5) ? "application/json" : garbageContentType()
            }
        }
        if let contentType { r.headers.append(("Content-Type", contentType)) }

        // Header parameters of the operation: usually right, sometimes missing or garbage.
        for parameter in op.parameters(in: "header") {
            guard let name = parameter["name"] as? String, name != "Content-Encoding" else { continue }
            let roll = rng.int(0...9)
            if roll == 0 { continue }
            r.headers.append((name, roll <= 6 ? validHeader(parameter) : garbageHeader(name)))
        }
        if gzipped {
            r.headers.append(("Content-Encoding", rng.pick(["gzip", "gzip", "GZIP", "gzip ", "x-gzip", "gzip, identity"])))
        } else if rng.chance(0.12) {
            r.headers.append(("Content-Encoding", rng.pick(["gzip", "br", "deflate", "identity", "compress", rng.headerText(8)])))
        }
        if rng.chance(0.15) {
            r.headers.append((rng.pick(["X-Fuzz", "Accept", "Accept-Encoding", "Content-Type", "Transfer-Encoding-X", "Origin",
                                        ProtocolVersion.header, "Tus-Resumable", "Upload-Offset"]),
                              rng.headerText(rng.pick([1, 12, 600]))))
        }
        if mode == .forged { r.headers.append(("Authorization", forgedAuthorization())) }
        return r
    }

    mutating func fillPath(_ op: FuzzOpenAPI.Operation, _ r: inout FuzzRequest) -> String {
        guard op.path.contains("{id}") else { return op.path }
        let own = op.path.hasPrefix("/v1/uploads") ? pools.ownUpload : pools.ownMaterial
        let foreign = op.path.hasPrefix("/v1/uploads") ? pools.foreignUpload : pools.foreignMaterial
        let id: String
        switch rng.int(0...9) {
        case 0...1: id = own
        case 2...4: id = foreign
        case 5...6: id = rng.uuid()
        default:
            r.garbagePath = true
            let raw = rng.pick([rng.text(rng.int(1...40)), String(repeating: "a", count: 2_500), "..", ".", "%2F", "a%2Fb", "%00",
                                "%zz", "%", own.uppercased(), own + "/extra", " ", "🏦", "1 OR 1=1", "m-001", "'"])
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "/?#;")
            id = raw.contains("%") || raw.hasSuffix("/extra") ? raw : raw.addingPercentEncoding(withAllowedCharacters: allowed) ?? "x"
        }
        return op.path.replacingOccurrences(of: "{id}", with: id)
    }

    mutating func query(_ op: FuzzOpenAPI.Operation) -> String {
        var pairs: [String] = []
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        for parameter in op.parameters(in: "query") where rng.chance(0.6) {
            guard let name = parameter["name"] as? String else { continue }
            let schema = doc.resolve(parameter["schema"])
            let text: String
            if rng.chance(0.6) {
                switch value(schema, key: name) {
                case .int(let i): text = String(i)
                case .string(let s): text = s
                case let other: text = other.text
                }
            } else {
                text = rng.pick(["-1", "0", "abc", "", "1e3", "9223372036854775808", "5001", "1.5", "true", "TRUE", "１", " 1",
                                 rng.text(rng.int(1...30))])
            }
            pairs.append("\(name)=\(text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")")
        }
        if rng.chance(0.15) { pairs.append(rng.pick(["after=1&after=2", "x=%zz", "&&", "=", "limit", "detail=%E9%93%B6"])) }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    mutating func validHeader(_ parameter: [String: Any]) -> String {
        let schema = doc.resolve(parameter["schema"])
        if let c = schema["const"] { return "\(c)" }
        if let e = schema["enum"] as? [Any], !e.isEmpty { return "\(rng.pick(e))" }
        if let examples = schema["examples"] as? [Any], !examples.isEmpty, rng.chance(0.6) { return "\(rng.pick(examples))" }
        switch parameter["name"] as? String {
        case "Upload-Metadata":
            let material = rng.pick([pools.ownMaterial, pools.foreignMaterial, rng.uuid()])
            let sha = rng.hex(64)
            return "materialId \(Data(material.utf8).base64EncodedString()),sha256 \(Data(sha.utf8).base64EncodedString())"
        case "Upload-Checksum":
            return "sha256 \(rng.bytes(32).base64EncodedString())"
        default: break
        }
        if schema["type"] as? String == "integer" {
            let low = (schema["minimum"] as? Int) ?? 0, high = max(low, (schema["maximum"] as? Int) ?? 1_000_000)
            return String(rng.int(low...high))
        }
        return rng.headerText(rng.int(1...16))
    }

    mutating func garbageHeader(_ name: String) -> String {
        let common = ["0", "-1", "abc", "1.0", "99", "999999999999999999999999", "null", "true", " ", "\u{7f}x", "银行", "é", "１",
                      rng.headerText(rng.int(1...40)), rng.headerText(3_000)]
        let specific: [String]
        switch name {
        case ProtocolVersion.header: specific = ["0", "99", "2", "-0", "+1", "01", "1 1", "0x1", "1.0", "１"]
        case "Tus-Resumable": specific = ["1.0", "0.2.2", "1.0.0 ", "1.0.0,1.0.0", "1.0.1", "v1.0.0"]
        case "Upload-Length": specific = ["0", "-5", "10485761", "9223372036854775807", "9223372036854775808", "1e3", "0x10"]
        case "Upload-Offset": specific = ["-1", "1", "300000", "9223372036854775807", "+0", "00"]
        case "Upload-Metadata": specific = ["materialId", "materialId !!!,sha256 ???", "sha256 \(Data(rng.hex(63).utf8).base64EncodedString())",
                                            ",,,", "materialId \(Data(rng.text(30).utf8).base64EncodedString())"]
        case "Upload-Checksum": specific = ["md5 abc", "sha256", "sha256 !!!", "sha256 \(rng.bytes(31).base64EncodedString())",
                                            "SHA256 \(rng.bytes(32).base64EncodedString())", "sha1 AAAA"]
        case "Accept-Encoding": specific = ["br", "*", "gzip;q=0", "identity", "gzip, deflate, br, zstd"]
        default: specific = []
        }
        return rng.chance(0.7) && !specific.isEmpty ? rng.pick(specific) : rng.pick(common)
    }

    mutating func garbageContentType() -> String {
        rng.pick(["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                  "application/jsonp", "json", "*/*", "application/offset+octet-stream", rng.headerText(rng.int(1...30))])
    }

    mutating func forgedAuthorization() -> String {
        let token = rng.bytes(32).base64EncodedString().replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        return rng.pick(["Bearer \(token)", "Bearer \(String(repeating: "A", count: 257))", "Bearer", "Bearer ", "bearer \(token)",
                         "Basic dXNlcjpwYXNz", "Bearer  \(token)", "Token \(token)", "Bearer \(rng.headerText(40))",
                         "Bearer \(token) extra", rng.headerText(rng.int(1...60))])
    }

    // MARK: Pushes that reach the table rules

    mutating func deepPushRequest(clientId: String, seqBase: Int, staff: Bool) -> FuzzRequest {
        let changes = (0..<rng.int(1...6)).map { deepChange(clientId: clientId, seq: seqBase + $0 + 1, staff: staff) }
        var body = FuzzJSON.object([("protocolVersion", .int(1)), ("clientId", .string(clientId)), ("changes", .array(changes))])
        var applied: [String] = []
        if rng.chance(0.15) { body = mutate(body, count: 1, heavyAllowed: false, applied: &applied) }
        let gzip = rng.chance(0.2)
        var headers = [("Content-Type", "application/json"), (ProtocolVersion.header, "1")]
        if gzip { headers.append(("Content-Encoding", "gzip")) }
        let data = Data(body.text.utf8)
        return FuzzRequest(method: "POST", path: "/v1/sync/push", headers: headers, body: gzip ? Gzip.compress(data) : data,
                           mode: .member, staff: staff, note: "deep" + (applied.isEmpty ? "" : " " + applied.joined(separator: "+")))
    }

    mutating func deepChange(clientId: String, seq: Int, staff: Bool) -> FuzzJSON {
        let table: SyncTable? = rng.chance(0.95) ? rng.pick(SyncTable.all) : nil
        let recordId: String
        switch table?.name {
        case "profile": recordId = rng.chance(0.7) ? pools.memberId : rng.pick(pools.otherMemberIds + [rng.uuid()])
        case "claim": recordId = rng.chance(0.85) ? rng.pick(pools.claimIds) : rng.uuid()
        case "claim_material": recordId = rng.chance(0.6) ? rng.pick(pools.materialIds) : rng.pick([pools.ownMaterial, pools.foreignMaterial, rng.uuid()])
        case "enrolment": recordId = rng.chance(0.8) ? rng.pick(pools.enrolmentIds) : rng.uuid()
        case "claim_standard": recordId = rng.pick(pools.standardIds)
        default: recordId = rng.chance(0.8) ? rng.uuid() : rng.pick(pools.claimIds + [pools.memberId])
        }
        var fields: [(String, FuzzJSON)] = []
        if let table {
            let clientFields = table.fields.filter { $0.owner == .client }
            let pool = clientFields.isEmpty || rng.chance(0.15) ? table.fields : clientFields
            for field in (0..<rng.int(1...min(5, pool.count))).map({ _ in rng.pick(pool) }) where !fields.contains(where: { $0.0 == field.name }) {
                fields.append((field.name, fieldValue(field)))
            }
            if table.name == "claim_material", rng.chance(0.5) {
                fields = [("claimId", .string(rng.pick(pools.claimIds))), ("item", .string(rng.pick(pools.items))),
                          ("sha256", .string(rng.hex(64))), ("bytes", .int(Int64(rng.int(1...10_485_760)))),
                          ("contentType", .string(rng.pick(["image/png", "image/jpeg", "application/pdf"])))]
            }
            if table.name == "case_action", rng.chance(0.7) {
                fields = [("claimId", .string(rng.pick(pools.claimIds))), ("action", .string(rng.pick(Self.caseActions)))]
                    + (rng.chance(0.5) ? [("decision", .string(rng.pick(["pass", "fail", "back", "x"])))] : [])
                    + (rng.chance(0.5) ? [("note", .string(rng.text(rng.int(0...30))))] : [])
                    + (rng.chance(0.3) ? [("items", .string(rng.pick(["[\"id-card\"]", "[]", "{", "[1]"])))] : [])
            }
            if table.name == "claim", rng.chance(0.3) { fields.append(("submission", .int(Int64(rng.pick([1, 2, 5, Int.max, -1]))))) }
        } else {
            fields = [(rng.text(6), randomValue(depth: 2))]
        }
        let op: FuzzJSON = .string(rng.chance(0.85) ? "upsert" : "delete")
        return .object([("changeId", .string("\(clientId):\(seq)")), ("table", .string(table?.name ?? rng.text(10))),
                        ("recordId", .string(recordId)), ("op", op), ("fields", .object(op.text == "\"delete\"" && rng.chance(0.7) ? [] : fields)),
                        ("hlc", .string(hlc(node: clientId)))])
    }

    mutating func fieldValue(_ field: SyncField) -> FuzzJSON {
        if rng.chance(0.06) { return .null }
        if rng.chance(0.03) { return .bool(rng.chance(0.5)) }
        switch field.name {
        case "claimId": return .string(rng.pick(pools.claimIds))
        case "item": return .string(rng.pick(pools.items))
        case "enrolmentId": return .string(rng.pick(pools.enrolmentIds + [rng.uuid()]))
        case "claimType": return .string(rng.chance(0.85) ? rng.pick(ClaimType.allCases).rawValue : rng.text(8))
        case "standardIds":
            let ids = (0..<rng.int(0...3)).map { _ in rng.pick(pools.standardIds) }
            return .string(rng.chance(0.8) ? ClaimDraft.encodeStandardIds(ids) : rng.pick(["[", "null", "[1,2]", "{}", rng.text(20)]))
        default: break
        }
        switch field.kind {
        case .text(let max):
            switch rng.int(0...9) {
            case 0: return .string(String(repeating: "字", count: max))
            case 1: return .string(String(repeating: "x", count: max + 1))
            case 2: return .string((0..<rng.int(1...6)).map { _ in rng.pick(SplitMix64.odd) }.joined())
            default: return .string(rng.text(rng.int(0...min(max, 20))))
            }
        case .integer:
            return rng.chance(0.9) ? .int(rng.pick([0, 1, 2, 3, -1, 100, Int64.max, Int64.min, Int64(rng.int(-1_000...1_000_000))]))
                : .string(String(rng.int(0...9)))
        case .money:
            return .string(rng.pick(["0", "0.00", "79.00", "1.5", "-3.00", "99999999999999.99", "999999999999999999999", "1e5",
                                     "abc", "0.001", " 5.00", "5.", ".5", "+5", "-0.00"]))
        case .date:
            let today = CalendarDate.today(in: CalendarDate.chinaTimeZone, now: Date())
            if rng.chance(0.7) {
                let shifted = Date(timeIntervalSince1970: Double(today.dayNumber + rng.int(-900...30)) * 86_400)
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(secondsFromGMT: 0)!
                let c = calendar.dateComponents([.year, .month, .day], from: shifted)
                return .string(CalendarDate(year: c.year!, month: c.month!, day: c.day!)?.description ?? "2025-01-01")
            }
            return .string(rng.pick(["2024-02-30", "2023-02-29", "0000-01-01", "0001-01-01", "9999-12-31", "2025-13-01", "2025-1-1",
                                     "", "today", "2025-01-01T00:00:00Z", "1970-01-01"]))
        case .mobile: return .string(rng.chance(0.7) ? rng.validMobile() : rng.pick(["2" + rng.digits(10), rng.digits(12), "1380000000x", ""]))
        case .bankAccount: return .string(rng.chance(0.7) ? rng.digits(rng.int(12...30)) : rng.pick([rng.digits(11), rng.digits(31), "6222 0000 0000 0000"]))
        case .bankName: return .string(rng.chance(0.7) ? rng.validBankName() : rng.pick(["", "   ", String(repeating: "银", count: 51)]))
        case .json: return .string(rng.pick(["[]", "[\"id-card\"]", "{\"items\":[\"id-card\"],\"returnTo\":\"first-review\"}", "{", "null",
                                            String(repeating: "[", count: 300), String(repeating: "x", count: 8_001)]))
        }
    }

    // MARK: Requests that must be refused

    struct Refused { var request: FuzzRequest; var expected: Set<Int>; var why: String }

    /// A request with one defect that no random remainder can cure, and the answers it may get.
    mutating func refusedRequest() -> Refused {
        let push = doc.operations.first { $0.path == "/v1/sync/push" }!
        let validHeaders = [("Content-Type", "application/json"), (ProtocolVersion.header, "1")]
        func pushBody(_ g: inout FuzzGenerator, nonEmpty: Bool = true) -> FuzzJSON {
            var body = g.coherentPush(g.value(push.bodySchema, key: nil))
            if nonEmpty, case .array(let changes)? = body["changes"], changes.isEmpty {
                body = g.coherentPush(body.setting("changes", .array([g.value(g.doc.resolve(["$ref": "#/components/schemas/Change"]), key: nil)])))
            }
            return body
        }
        func pushRequest(_ body: Data?, headers: [(String, String)], note: String, mode: FuzzTokenMode = .member) -> FuzzRequest {
            FuzzRequest(method: "POST", path: "/v1/sync/push", headers: headers, body: body, mode: mode, note: note)
        }
        let tus = ("Tus-Resumable", "1.0.0")
        switch rng.int(0...21) {
        case 0:
            let version = rng.pick([nil, "0", "99", "abc", "-1", "1.5", "１", "2"])
            let headers = [("Content-Type", "application/json")] + (version.map { [(ProtocolVersion.header, $0)] } ?? [])
            return Refused(request: pushRequest(Data(pushBody(&self).text.utf8), headers: headers, note: "protocol header"),
                           expected: [400, 426], why: "bad protocol header \(version ?? "missing")")
        case 1:
            let type = rng.pick([nil, "text/plain", "application/xml", "multipart/form-data", "text/json"])
            let headers = [(ProtocolVersion.header, "1")] + (type.map { [("Content-Type", $0)] } ?? [])
            return Refused(request: pushRequest(Data(pushBody(&self).text.utf8), headers: headers, note: "content type"),
                           expected: [415], why: "content type \(type ?? "missing")")
        case 2:
            let encoding = rng.pick(["br", "deflate", "compress", "identity", "zstd"])
            return Refused(request: pushRequest(Data(pushBody(&self).text.utf8), headers: validHeaders + [("Content-Encoding", encoding)],
                                                note: "encoding"), expected: [415], why: "content encoding \(encoding)")
        case 3:
            var data = Gzip.compress(Data(pushBody(&self).text.utf8))
            if rng.chance(0.5) { data = data.prefix(rng.int(2...max(2, data.count / 2))) } else { data = Data([0x00]) + rng.bytes(rng.int(0...300)) }
            return Refused(request: pushRequest(data, headers: validHeaders + [("Content-Encoding", "gzip")], note: "corrupt gzip"),
                           expected: [400], why: "corrupt gzip")
        case 4:
            var body = pushBody(&self)
            guard case .object(var members) = body else { break }
            let dropped = members.remove(at: rng.int(0...members.count - 1)).0
            body = .object(members)
            return Refused(request: pushRequest(Data(body.text.utf8), headers: validHeaders, note: "drop \(dropped)"),
                           expected: [400], why: "missing \(dropped)")
        case 5:
            let body = rng.pick([FuzzJSON.array([pushBody(&self)]), .string("push"), .int(1), .null, .bool(false)])
            return Refused(request: pushRequest(Data(body.text.utf8), headers: validHeaders, note: "root type"), expected: [400],
                           why: "wrong root type")
        case 6:
            let text = Data(pushBody(&self).text.utf8)
            return Refused(request: pushRequest(text.prefix(rng.int(0...text.count - 1)), headers: validHeaders, note: "truncated"),
                           expected: [400], why: "truncated JSON")
        case 7:
            let body = Data([rng.pick([0x00, 0xFF, 0x7B, 0x5B, 0x22])]) + rng.bytes(rng.int(0...1_000))
            return Refused(request: pushRequest(body.first == 0x7B || body.first == 0x5B || body.first == 0x22 ? Data("{\u{1}".utf8) + body : body,
                                                headers: validHeaders, note: "random bytes"), expected: [400], why: "random bytes")
        case 8:
            let depth = rng.pick([513, 5_000, 50_000])
            let body = Data((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
            return Refused(request: pushRequest(body, headers: validHeaders, note: "nesting \(depth)"), expected: [400],
                           why: "nesting \(depth)")
        case 9:
            let version = rng.pick([0, -1, 2, 99, Int.min, Int.max])
            let body = pushBody(&self).setting("protocolVersion", .int(Int64(version)))
            return Refused(request: pushRequest(Data(body.text.utf8), headers: validHeaders, note: "body version"),
                           expected: [400, 426], why: "protocolVersion \(version) in the body")
        case 10:
            let body = pushBody(&self)
            guard case .array(var changes)? = body["changes"], !changes.isEmpty else { break }
            let i = rng.int(0...changes.count - 1)
            changes[i] = changes[i].setting("changeId", .string(rng.pick(["other:1", "", "fuzz", String(repeating: "9", count: 97), rng.text(10)])))
            let spoiled = rng.chance(0.5) ? body.setting("changes", .array(changes)) : body.setting("clientId", .string(rng.pick(["", String(repeating: "c", count: 65)])))
            return Refused(request: pushRequest(Data(spoiled.text.utf8), headers: validHeaders, note: "change id"), expected: [400],
                           why: "change id not of the client")
        case 11:
            let body = pushBody(&self)
            guard case .array(let changes)? = body["changes"], let first = changes.first else { break }
            return Refused(request: pushRequest(Data(body.setting("changes", .array(changes + [first])).text.utf8), headers: validHeaders,
                                                note: "duplicate id"), expected: [400], why: "duplicate change id")
        case 12:
            let body = pushBody(&self)
            guard case .array(var changes)? = body["changes"], !changes.isEmpty else { break }
            let i = rng.int(0...changes.count - 1)
            let spoil = rng.int(0...3)
            switch spoil {
            case 0: changes[i] = changes[i].setting("op", .string(rng.pick(["insert", "UPSERT", "", "drop"])))
            case 1: changes[i] = changes[i].setting("fields", .object([("mobile", rng.pick([.array([]), .object([]), .number("1.5"), .number("1e400")]))]))
            case 2:
                guard case .object(var members) = changes[i] else { break }
                let key = rng.pick(["changeId", "table", "recordId", "op", "fields", "hlc"])
                members.removeAll { $0.0 == key }
                changes[i] = members.count < 6 ? .object(members) : changes[i].setting("hlc", .int(5))
            default: changes[i] = changes[i].setting("recordId", rng.pick([.null, .int(7), .array([])]))
            }
            return Refused(request: pushRequest(Data(body.setting("changes", .array(changes)).text.utf8), headers: validHeaders,
                                                note: "bad change \(spoil)"), expected: [400], why: "undecodable change")
        case 13:
            let change = FuzzJSON.object([("changeId", .string("fuzz:1")), ("table", .string("profile")), ("recordId", .string(pools.memberId)),
                                           ("op", .string("upsert")), ("fields", .object([("mobile", .string("13912345678"))])),
                                           ("hlc", .string(hlc(node: "fuzz")))])
            let many = (0...ProtocolVersion.maxChangesPerPush).map { change.setting("changeId", .string("fuzz:\($0)")) }
            let body = FuzzJSON.object([("protocolVersion", .int(1)), ("clientId", .string("fuzz")), ("changes", .array(many))])
            return Refused(request: pushRequest(Data(body.text.utf8), headers: validHeaders, note: "501 changes"), expected: [413],
                           why: "batch too large")
        case 14:
            let mode = rng.pick([FuzzTokenMode.forged, .none])
            let op = rng.pick(doc.operations.filter { !$0.isPublic })
            var r = request(for: op, mode: mode)
            r.mode = mode
            let expected: Set<Int> = r.malformedHTTP ? [400] : r.garbagePath ? [401, 404, 405] : [401]
            return Refused(request: r, expected: expected, why: "no valid token")
        case 15:
            var body = value(doc.operations.first { $0.path == "/v1/auth/login" }!.bodySchema, key: nil)
            let spoil = rng.int(0...3)
            switch spoil {
            case 0: body = body.setting("login", rng.pick([.int(1), .null, .array([]), .bool(true)]))
            case 1: body = body.setting("password", rng.pick([.int(1), .null, .object([])]))
            case 2: body = .object([("password", .string("x"))])
            default: body = rng.pick([.array([]), .string("login"), .raw("{\"login\":")])
            }
            let headers = rng.chance(0.8) ? [("Content-Type", "application/json")] : [("Content-Type", "text/plain")]
            return Refused(request: FuzzRequest(method: "POST", path: "/v1/auth/login", headers: headers, body: Data(body.text.utf8),
                                                mode: .none, note: "login \(spoil)"), expected: [400, 415], why: "malformed login")
        case 16:
            let login = rng.pick(["", String(repeating: "l", count: 65)])
            let body = FuzzJSON.object([("login", .string(login)), ("password", .string(rng.text(8)))])
            return Refused(request: FuzzRequest(method: "POST", path: "/v1/auth/login", headers: [("Content-Type", "application/json")],
                                                body: Data(body.text.utf8), mode: .none, note: "login length"), expected: [401],
                           why: "login empty or too long")
        case 17:
            let path = "/v1/sync/pull?" + rng.pick(["after=-1", "after=abc", "after=1e3", "limit=0", "limit=5001", "limit=-3", "limit=x",
                                                   "after=9223372036854775808"])
            return Refused(request: FuzzRequest(method: "GET", path: path, headers: validHeaders, mode: .member, note: "none"),
                           expected: [400], why: "bad pull query")
        case 18:
            let defect = rng.int(0...4)
            var headers: [(String, String)] = [tus, ("Upload-Length", "300008"),
                                               ("Upload-Metadata", "materialId \(Data(pools.ownMaterial.utf8).base64EncodedString()),sha256 \(Data(rng.hex(64).utf8).base64EncodedString())")]
            var expected: Set<Int> = [400]
            switch defect {
            case 0: headers.removeFirst(); if rng.chance(0.5) { headers.append(("Tus-Resumable", rng.pick(["1.0", "0.2.2", "2"]))) }; expected = [412]
            case 1: headers[1].1 = rng.pick(["0", "-1", "x", "", "1.5"]); if headers[1].1.isEmpty { headers.remove(at: 1) }
            case 2: headers[1].1 = rng.pick(["10485761", "9223372036854775807"]); expected = [413]
            case 3: headers[2].1 = rng.pick(["", "materialId", "sha256 \(Data(rng.hex(64).utf8).base64EncodedString())", "x y z"]); if headers[2].1.isEmpty { headers.remove(at: 2) }
            default:
                headers[2].1 = "materialId \(Data(pools.foreignMaterial.utf8).base64EncodedString()),sha256 \(Data(rng.hex(64).utf8).base64EncodedString())"
                expected = [404]
            }
            // A random sha never matches the registered one: the own material answers 400 material_mismatch.
            return Refused(request: FuzzRequest(method: "POST", path: "/v1/uploads", headers: headers, body: rng.chance(0.5) ? Data() : nil,
                                                mode: .member, note: "create \(defect)"), expected: expected, why: "bad upload creation \(defect)")
        case 19:
            let id = rng.pick([pools.foreignUpload, rng.uuid(), pools.ownMaterial])
            let method = rng.pick(["HEAD", "PATCH", "DELETE"])
            var headers = [tus]
            if method == "PATCH" { headers += [("Content-Type", "application/offset+octet-stream"), ("Upload-Offset", "0")] }
            return Refused(request: FuzzRequest(method: method, path: "/v1/uploads/\(id)", headers: headers,
                                                body: method == "PATCH" ? rng.bytes(rng.int(0...500)) : nil, mode: .member, note: "foreign upload"),
                           expected: [404], why: "someone else's or no upload")
        case 20:
            let defect = rng.int(0...3)
            var headers = [tus, ("Content-Type", "application/offset+octet-stream"), ("Upload-Offset", "0")]
            var expected: Set<Int> = [400]
            switch defect {
            case 0: headers[1].1 = rng.pick(["application/json", "application/octet-stream", "text/plain"]); expected = [415]
            case 1: headers[2].1 = rng.pick(["999999", "1", "-1"]); expected = [409]
            case 2: headers[2].1 = rng.pick(["x", "", "1.5"]); if headers[2].1.isEmpty { headers.remove(at: 2) }
            default: headers.append(("Upload-Checksum", rng.pick(["md5 abc", "sha256", "sha256 !!!", "sha1 \(rng.bytes(20).base64EncodedString())"])))
            }
            return Refused(request: FuzzRequest(method: "PATCH", path: "/v1/uploads/\(pools.ownUpload)", headers: headers,
                                                body: rng.bytes(rng.int(1...500)), mode: .member, note: "own upload \(defect)"),
                           expected: expected, why: "bad chunk \(defect)")
        default:
            let (method, path) = rng.pick([("GET", "/v1/materials/\(pools.foreignMaterial)"), ("GET", "/v1/materials/\(pools.ownMaterial)"),
                                           ("GET", "/v1/materials/\(rng.uuid())"), ("PUT", "/v1/sync/push"), ("DELETE", "/v1/me"),
                                           ("GET", "/v1/uploads"), ("GET", "/v1/\(rng.uuid())"), ("POST", "/v1/health")])
            return Refused(request: FuzzRequest(method: method, path: path, headers: validHeaders, mode: .member, note: "none"),
                           expected: [404, 405], why: "nothing there to read")
        }
        // A spoiler that found nothing to spoil: fall back to a certain refusal.
        return Refused(request: pushRequest(Data("{".utf8), headers: validHeaders, note: "open brace"), expected: [400], why: "open brace")
    }
}

// MARK: - The session: server, tokens, checks

final class FuzzSession: @unchecked Sendable {
    let server: TestServer
    let seed: UInt64
    let name: String
    let doc: FuzzOpenAPI
    let pools: FuzzPools
    var memberToken: String
    let staffToken: String
    private let transport: CurlTransport
    private let started = Date()
    var sent = 0
    var statuses: [Int: Int] = [:]
    /// How the changes of pushes answered 200 fared: how deep the fuzzing got.
    var changeOutcomes: [String: Int] = [:]
    /// Answers the operation's `responses` do not list by code (covered by `default`): for the report.
    var undocumented: Set<String> = []

    private init(server: TestServer, seed: UInt64, name: String, doc: FuzzOpenAPI, pools: FuzzPools, memberToken: String, staffToken: String) {
        self.server = server; self.seed = seed; self.name = name; self.doc = doc; self.pools = pools
        self.memberToken = memberToken; self.staffToken = staffToken
        transport = server.transport()
    }

    /// A server with the demo data, plus a claim, a material and an upload for the member and
    /// for another member, so ids can be the member's own, someone else's or nobody's.
    /// `salt` gives each test its own stream from the one base seed (`APIFuzzTests.seed`).
    static func start(name: String, salt: UInt64) async throws -> FuzzSession {
        let server = try await TestServer.start()
        do {
            return try await prepare(server, name: name, seed: APIFuzzTests.seed ^ salt)
        } catch {
            await server.stop()
            throw error
        }
    }

    private static func prepare(_ server: TestServer, name: String, seed: UInt64) async throws -> FuzzSession {
        let doc = try FuzzOpenAPI()
        let member = try await server.login("zhangwei"), other = try await server.login("lina")
        let staff = try await server.login("sz-agent")
        var pools = FuzzPools()
        pools.memberId = member.account.memberId!
        let own = try await registerUpload(server, member, client: "setup")
        let foreign = try await registerUpload(server, other, client: "setup")
        pools.ownUpload = own.upload; pools.ownMaterial = own.material
        pools.foreignUpload = foreign.upload; pools.foreignMaterial = foreign.material
        (pools.enrolmentIds, pools.standardIds, pools.items) = try await server.store.pool.read { db in
            (try String.fetchAll(db, sql: "SELECT id FROM enrolment ORDER BY id"),
             try String.fetchAll(db, sql: "SELECT id FROM claim_standard ORDER BY id"),
             try String.fetchAll(db, sql: "SELECT DISTINCT item FROM material_item ORDER BY item"))
        }
        var rng = SplitMix64(seed: seed ^ 0x1D5)
        pools.claimIds = [own.claim] + (0..<5).map { _ in rng.uuid() }
        pools.materialIds = (0..<4).map { _ in rng.uuid() }
        return FuzzSession(server: server, seed: seed, name: name, doc: doc, pools: pools, memberToken: member.token, staffToken: staff.token)
    }

    static func registerUpload(_ server: TestServer, _ session: LoginResponse, client: String) async throws
        -> (claim: String, material: String, upload: String) {
        let data = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let sha = RecordDigest.hex(SHA256.hash(data: data))
        let claim = UUID().uuidString.lowercased(), material = UUID().uuidString.lowercased()
        let hlc = HLCTimestamp(millis: Int64(Date().timeIntervalSince1970 * 1000), counter: 0, node: client).description
        let push = PushRequest(clientId: client, changes: [
            Change(changeId: "\(client):1", table: "claim", recordId: claim, op: .upsert,
                   fields: ["claimType": .string("hospitalization")], hlc: hlc),
            Change(changeId: "\(client):2", table: "claim_material", recordId: material, op: .upsert,
                   fields: ["claimId": .string(claim), "item": .string("id-card"), "sha256": .string(sha),
                            "bytes": .int(Int64(data.count)), "contentType": .string("image/png")], hlc: hlc),
        ])
        let answer = try await server.api(token: session.token).post("/v1/sync/push", push, as: PushResponse.self)
        try #require(answer.results.map(\.status) == [.applied, .applied], "setup push: \(answer.results.map(\.reason))")
        let metadata = "materialId \(Data(material.utf8).base64EncodedString()),sha256 \(Data(sha.utf8).base64EncodedString())"
        let created = try await server.raw("POST", "/v1/uploads", token: session.token, body: Data(), headers: [
            ("Tus-Resumable", "1.0.0"), ("Upload-Length", String(data.count)), ("Upload-Metadata", metadata)])
        let location = try #require(created.header("location"), "setup upload: \(created.status)")
        return (claim, material, String(location.split(separator: "/").last!))
    }

    /// The generator of request `index`: its own stream, so the seed and index reproduce it.
    func generator(for index: Int) -> FuzzGenerator {
        FuzzGenerator(rng: SplitMix64(seed: seed ^ (UInt64(index) &+ 1) &* 0xD1B5_4A32_D192_ED03), doc: doc, pools: pools)
    }

    /// How to run this test again with the same randomness.
    var reproduce: String { "\(name): API_FUZZ_SEED=\(fuzzHex(APIFuzzTests.seed)) API_FUZZ_SCALE=\(APIFuzzTests.scale)" }

    func tag(_ index: Int) -> String { "[\(reproduce) request #\(index)]" }

    /// Row count and a digest of the contents of every table, except `account` (a failed login
    /// legitimately counts against the account).
    func deepFingerprint() async throws -> [String] {
        try await server.store.pool.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                AND name NOT IN ('account', 'grdb_migrations') ORDER BY name
                """)
            return try tables.map { table in
                let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table])
                let row = columns.map { "quote(\"\($0)\")" }.joined(separator: " || ',' || ")
                let (count, content) = try Row.fetchOne(db, sql: """
                    SELECT COUNT(*) AS n, group_concat(\(row), '|') AS content FROM (SELECT * FROM "\(table)" ORDER BY rowid)
                    """).map { ($0["n"] as Int, $0["content"] as String?) } ?? (-1, nil)
                let digest = RecordDigest.hex(SHA256.hash(data: Data((content ?? "").utf8)))
                return "\(table):\(count):\(digest.prefix(16))"
            }
        }
    }

    /// Sends one request and checks the answer against the properties every answer must have.
    /// Returns nil (after recording an issue) when the exchange itself failed.
    @discardableResult
    func exchange(_ request: FuzzRequest, index: Int, operation: FuzzOpenAPI.Operation?,
                  checkStorePerRequest: Bool = true) async throws -> HTTPResponse? {
        var headers = request.headers
        if request.mode == .member { headers.append(("Authorization", "Bearer \(request.staff ? staffToken : memberToken)")) }
        let before = checkStorePerRequest ? try await server.storeFingerprint() : []
        let deepBefore = checkStorePerRequest ? try await deepFingerprint() : []
        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(method: request.method, url: server.baseURL + request.path,
                                                            headers: headers, body: request.body, timeout: 20))
        } catch {
            sent += 1
            if case .other(let message) = error, message.localizedCaseInsensitiveContains("URL") {
                return nil  // libcurl would not send it; nothing reached the server
            }
            Issue.record("\(self.tag(index)) the exchange failed (\(error)) for \(request.summary)")
            return nil
        }
        sent += 1
        statuses[response.status, default: 0] += 1
        if let operation, !operation.statuses.contains(String(response.status)), !request.garbagePath, !request.malformedHTTP {
            undocumented.insert("\(operation.label) → \(response.status)")
        }
        let context = "\(self.tag(index)) \(request.summary) → \(response.status) \(fuzzPreview(response.body))"
        #expect((200..<500).contains(response.status),
                "server error for a client request: \(context); the whole body\(request.gzipped ? ", inflated" : ""): \(request.plainBody.map { fuzzPreview($0, limit: 8_192) } ?? "none")")
        if response.status >= 500, operation?.path == "/v1/sync/push", let culprits = await isolate(request, headers: headers) {
            Issue.record("\(self.tag(index)) the same changes pushed one by one: \(culprits)")
        }
        if request.malformedHTTP {
            // Not an API request at all: the answer is the HTTP layer's, and the server lives on.
            #expect(response.status == 400, "a malformed HTTP message: \(context)")
        } else if (400..<500).contains(response.status), request.method != "HEAD" {
            let error = try? JSONDecoder().decode(APIErrorBody.self, from: response.body)
            #expect(error != nil && !(error?.error.message.isEmpty ?? true) && !(error?.error.code.isEmpty ?? true),
                    "4xx without a JSON error body: \(context)")
        }
        if let operation, !operation.isPublic, request.mode != .member, !request.malformedHTTP {
            #expect(!(200..<300).contains(response.status), "a protected route answered without a valid token: \(context)")
            if !request.garbagePath { #expect(response.status == 401, "expected 401 without a valid token: \(context)") }
        }
        if operation?.path == "/v1/sync/push", response.status == 200 {
            let answer = try? JSONDecoder().decode(PushResponse.self, from: response.body)
            #expect(answer != nil, "push answer undecodable: \(context)")
            for result in answer?.results ?? [] { changeOutcomes[result.status.rawValue, default: 0] += 1 }
        }
        if checkStorePerRequest, (400..<500).contains(response.status) {
            let after = try await server.storeFingerprint()
            #expect(after == before, "a refused request changed the store \(before) → \(after): \(context)")
            let deepAfter = try await deepFingerprint()
            let changed = zip(deepBefore, deepAfter).filter { $0 != $1 }.map { "\($0.0) → \($0.1)" }
            #expect(changed.isEmpty, "a refused request changed the store \(changed): \(context)")
        }
        // The fuzzer may log its own member out: log in again so the next requests carry a token.
        if operation?.path == "/v1/auth/logout", request.mode == .member, (200..<300).contains(response.status) {
            memberToken = try await server.login("zhangwei").token
        }
        return response
    }

    /// After a push of several changes answered 5xx (and so rolled back): each of its changes
    /// pushed alone, to name the one the server fails on.
    func isolate(_ request: FuzzRequest, headers: [(String, String)]) async -> String? {
        let headers = headers.filter { $0.0 != "Content-Encoding" }
        guard let body = request.plainBody, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let changes = object["changes"] as? [Any], changes.count > 1 else { return nil }
        var lines: [String] = []
        for change in changes {
            var single = object
            single["changes"] = [change]
            guard let data = try? JSONSerialization.data(withJSONObject: single, options: [.sortedKeys]) else { continue }
            let answer = try? await transport.send(HTTPRequest(method: "POST", url: server.baseURL + "/v1/sync/push",
                                                               headers: headers, body: data, timeout: 20))
            let changeText = (try? JSONSerialization.data(withJSONObject: change, options: [.sortedKeys]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "?"
            lines.append("\(answer.map { String($0.status) } ?? "no answer") ← \(changeText)")
        }
        return lines.joined(separator: "\n")
    }

    /// Item 3: after all that, the server answers health, logs in and applies a push.
    func expectStillServing() async throws {
        let health = try await server.raw("GET", "/v1/health", headers: [])
        #expect(health.status == 200, "[\(reproduce)] health after fuzzing: \(health.status)")
        let login = try await server.raw("POST", "/v1/auth/login", body: try JSONEncoder().encode(
            LoginRequest(login: "zhangwei", password: server.password("zhangwei"))), headers: [("Content-Type", "application/json")])
        #expect(login.status == 200, "[\(reproduce)] login after fuzzing: \(login.status) \(fuzzPreview(login.body))")
        let session = try JSONDecoder().decode(LoginResponse.self, from: login.body)
        let me = try await server.raw("GET", "/v1/me", token: session.token, headers: [])
        #expect(me.status == 200)
        // Newer than any stamp the fuzzers send as valid (at most an hour ahead), inside the skew rule.
        let mobile = "139" + String(format: "%08d", Int(seed % 100_000_000))
        let stamp = HLCTimestamp(millis: Int64(Date().timeIntervalSince1970 * 1000) + ChangeRules.maxClockSkewMillis - 60_000,
                                 counter: 0, node: "after-fuzz")
        let push = PushRequest(clientId: "after-fuzz", changes: [Change(changeId: "after-fuzz:1", table: "profile", recordId: pools.memberId,
                                                                       op: .upsert, fields: ["mobile": .string(mobile)], hlc: stamp.description)])
        let answer = try await server.raw("POST", "/v1/sync/push", token: session.token, body: try JSONEncoder().encode(push))
        #expect(answer.status == 200, "[\(reproduce)] push after fuzzing: \(answer.status) \(fuzzPreview(answer.body))")
        let result = try? JSONDecoder().decode(PushResponse.self, from: answer.body).results.first
        #expect(result?.status == .applied && result?.replayed == false, "push after fuzzing: \(String(describing: result))")
        let memberId = pools.memberId
        let stored = try await server.store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT mobile FROM member WHERE id = ?", arguments: [memberId])
        }
        #expect(stored == mobile)
    }

    func report() {
        let elapsed = String(format: "%.1f", Date().timeIntervalSince(started))
        let spread = statuses.keys.sorted().map { "\($0)×\(statuses[$0]!)" }.joined(separator: " ")
        let changes = changeOutcomes.keys.sorted().map { "\($0)×\(changeOutcomes[$0]!)" }.joined(separator: " ")
        print("APIFuzzTests[\(reproduce)]: \(sent) requests in \(elapsed)s; statuses \(spread); pushed changes \(changes)"
              + (undocumented.isEmpty ? "" : "; answers not listed in the document: \(undocumented.sorted())"))
    }
}


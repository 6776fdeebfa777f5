import Crypto
import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import TestSupport
import Testing

@testable import MemberCore
@testable import SyncServer

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
        return
            "\(method) \(path.count > 160 ? String(path.prefix(160)) + "…" : path) token=\(staff ? "staff" : mode.rawValue) "
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
    static let caseActions = [
        "acquire", "release", "calculate", "restrict", "card-change", "supplementary-payment", "archive",
        "cancel", "expert", "final-review", "investigation", "pay", "push", "resume", "review",
        "submit-costs", "supplement", "suspend", "resubmit",
    ]

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
            let low = (s["minimum"] as? Int) ?? -1_000
            let high = max(low, (s["maximum"] as? Int) ?? 1_000_000)
            if let example = (s["examples"] as? [Any])?.first as? Int, rng.chance(0.5) { return .int(Int64(example)) }
            return .int(Int64(rng.int(low...high)))
        case "number": return .number(String(Double(rng.int(-1000...1000)) / 8))
        case "boolean": return .bool(rng.chance(0.5))
        case "null": return .null
        case "array":
            guard depth < 6 else { return .array([]) }
            let low = (s["minItems"] as? Int) ?? 0
            let high = max(low, min((s["maxItems"] as? Int) ?? 4, 4))
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
        let low = (s["minLength"] as? Int) ?? 0
        let high = max(low, (s["maxLength"] as? Int) ?? 24)
        return rng.text(rng.int(low...min(high, low + 40)))
    }

    /// Ids and names the document describes in words: the test fills them from the demo data.
    mutating func pooledValue(key: String?) -> FuzzJSON? {
        switch key {
        case "recordId":
            return .string(rng.pick([pools.memberId, rng.pick(pools.otherMemberIds), rng.uuid()] + pools.claimIds))
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
        default:
            return .object((0..<rng.int(0...3)).map { _ in (rng.text(rng.int(1...8)), randomValue(depth: depth + 1)) })
        }
    }

    mutating func hlc(node: String) -> String {
        switch rng.int(0...19) {
        case 0: return "9999999999999999-99999-\(node)"  // far future: refused by the skew rule
        case 1: return "0000000000000000-00000-\(node)"
        case 2:
            return rng.pick([
                "", "x", "0001764380740123-00000-", "1764380740123-0-\(node)", "0001764380740123-000a0-\(node)",
                "-0001764380740-00000-\(node)", "0001764380740123-00000",
            ])
        default:
            let stamp = HLCTimestamp(
                millis: pools.hlcNow + Int64(rng.int(-86_400_000...3_600_000)), counter: rng.int(0...99_999),
                node: node)
            return stamp.description
        }
    }

    /// Gives a generated push body what its descriptions ask for (change ids "clientId:seq",
    /// the clock's node), so that mutations start from something the server would take.
    mutating func coherentPush(_ body: FuzzJSON) -> FuzzJSON {
        guard case .string(let client)? = body["clientId"], case .array(let changes)? = body["changes"] else {
            return body
        }
        let fixed = changes.enumerated().map { i, change -> FuzzJSON in
            var c = change.setting("changeId", .string("\(client):\(i + 1 + rng.int(0...1000) * 10)"))
            if rng.chance(0.5) { c = c.setting("hlc", .string(hlc(node: client))) }
            return c
        }
        return body.setting("protocolVersion", .int(1)).setting("changes", .array(fixed))
    }

    // MARK: Mutations

    enum Mutation: String, CaseIterable {
        case wrongType, dropKey, extraKey, hugeString, deepNesting, unicode, outOfRange, null, duplicateKey,
            emptyContainer,
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
                guard let at = objects.isEmpty ? nil : rng.pick(objects),
                    case .object(var members)? = v.node(at: at[...])
                else { continue }
                members.remove(at: rng.int(0...members.count - 1))
                v = v.replacing(at: at[...], with: .object(members))
            case .extraKey, .duplicateKey:
                let objects = all.filter { if case .object? = v.node(at: $0[...]) { true } else { false } }
                guard let at = objects.isEmpty ? nil : rng.pick(objects),
                    case .object(var members)? = v.node(at: at[...])
                else { continue }
                let key =
                    mutation == .duplicateKey && !members.isEmpty
                    ? rng.pick(members).0
                    : rng.pick(
                        Self.allFieldNames + ["__proto__", "", rng.text(rng.int(1...20)), "protocolVersion", "changes"])
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
                let nested =
                    rng.chance(0.5)
                    ? String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
                    : String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
                v = v.replacing(at: path[...], with: .raw(nested))
            case .unicode:
                let weird = (0..<rng.int(1...12)).map { _ in rng.pick(SplitMix64.odd) }.joined()
                v = v.replacing(at: path[...], with: .string(weird))
            case .outOfRange:
                v = v.replacing(
                    at: path[...],
                    with: .number(
                        rng.pick([
                            "9223372036854775808", "-9223372036854775809", "18446744073709551616", "1e400", "-1e400",
                            "1e-400",
                            "123456789012345678901234567890", "1.5", "-0", "0.1e1", "1E2", "2147483648", "-2147483649",
                            "00", "+1",
                        ])))
            case .null:
                v = v.replacing(at: path[...], with: .null)
            case .emptyContainer:
                v = v.replacing(at: path[...], with: rng.chance(0.5) ? .array([]) : .object([]))
            case .badEscape:
                v = v.replacing(
                    at: path[...],
                    with: .raw(
                        rng.pick([
                            #""\ud800""#, #""\udc00\ud800""#, #""\u12""#, #""\x41""#,
                            "\"\u{1}\"", #""abc"#, "'single'", "NaN", "Infinity", "undefined",
                        ])))
            case .rootScalar:
                v = rng.pick([.null, .int(1), .string("{}"), .array([v]), .bool(true)])
            }
        }
        return v
    }
}

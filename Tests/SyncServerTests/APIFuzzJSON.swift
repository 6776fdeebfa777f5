import Crypto
import Foundation
import GRDB
import MutualAidDomain
import Testing

@testable import MemberCore
@testable import SyncServer

// MARK: - JSON that may be wrong on purpose

/// JSON text built by hand, so it can hold what no encoder writes: raw number tokens out of
/// every range, duplicate keys, invalid escapes, nesting deeper than any parser allows.
// `Sendable` is spelled out: inferring it across files (the tuple members hold FuzzJSON again)
// made Swift 6.3 report a "circular reference" once the fuzz tests were split into files.
indirect enum FuzzJSON: Sendable {
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
        if let i = members.firstIndex(where: { $0.0 == key }) {
            members[i].1 = value
        } else {
            members.append((key, value))
        }
        return .object(members)
    }
}

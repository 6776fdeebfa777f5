import Foundation
import MutualAidDomain

/// The large sync bodies (a pull page, a push batch and its answer) read and written by hand:
/// the same JSON documents `Codable` produces, at a fraction of the cost. Every decoder falls
/// back to `JSONDecoder` when its fast path meets anything unexpected, so malformed input gets
/// Foundation's own error, and an unknown extra key from a newer peer is still ignored.
public enum WireJSON {
    private static func changeOp(_ scanner: inout JSONScanner) throws -> ChangeOp {
        guard let op = ChangeOp(rawValue: try scanner.string()) else { throw JSONScanner.Unsupported() }
        return op
    }

    // MARK: Push

    public static func encode(_ request: PushRequest) -> Data {
        var out = [UInt8]()
        out.reserveCapacity(request.changes.count * 160 + 64)
        out.append(contentsOf: #"{"protocolVersion":"#.utf8)
        out.append(contentsOf: String(request.protocolVersion).utf8)
        out.append(contentsOf: #","clientId":"#.utf8)
        FlatJSON.writeString(request.clientId, into: &out)
        out.append(contentsOf: #","changes":["#.utf8)
        for (i, change) in request.changes.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"changeId":"#.utf8)
            FlatJSON.writeString(change.changeId, into: &out)
            out.append(contentsOf: #","table":"#.utf8)
            FlatJSON.writeString(change.table, into: &out)
            out.append(contentsOf: #","recordId":"#.utf8)
            FlatJSON.writeString(change.recordId, into: &out)
            out.append(contentsOf: #","op":"#.utf8)
            FlatJSON.writeString(change.op.rawValue, into: &out)
            out.append(contentsOf: #","fields":"#.utf8)
            FlatJSON.write(change.fields, into: &out)
            out.append(contentsOf: #","hlc":"#.utf8)
            FlatJSON.writeString(change.hlc, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return Data(out)
    }

    /// Nil when the fast path cannot read it; the caller then decodes it the usual way (and
    /// reports the usual errors).
    public static func fastDecode(_ type: PushRequest.Type, from data: Data) -> PushRequest? {
        try? scan(data) { scanner in
            var version: Int64?
            var clientId: String?
            var changes: [Change]?
            try scanner.members { key, scanner in
                switch key {
                case "protocolVersion": version = try scanner.integer()
                case "clientId": clientId = try scanner.string()
                case "changes": changes = try scanner.array(change)
                default: throw JSONScanner.Unsupported()
                }
            }
            guard let version, let clientId, let changes, let v = Int(exactly: version) else {
                throw JSONScanner.Unsupported()
            }
            return PushRequest(protocolVersion: v, clientId: clientId, changes: changes)
        }
    }

    private static func change(_ scanner: inout JSONScanner) throws -> Change {
        var changeId: String?
        var table: String?
        var recordId: String?
        var op: ChangeOp?
        var fields: FieldMap?
        var hlc: String?
        try scanner.members { key, scanner in
            switch key {
            case "changeId": changeId = try scanner.string()
            case "table": table = try scanner.string()
            case "recordId": recordId = try scanner.string()
            case "op": op = try changeOp(&scanner)
            case "fields": fields = try scanner.object { try $0.fieldValue() }
            case "hlc": hlc = try scanner.string()
            default: throw JSONScanner.Unsupported()
            }
        }
        guard let changeId, let table, let recordId, let op, let fields, let hlc else {
            throw JSONScanner.Unsupported()
        }
        return Change(changeId: changeId, table: table, recordId: recordId, op: op, fields: fields, hlc: hlc)
    }

    public static func encode(_ response: PushResponse) -> Data {
        var out = [UInt8]()
        out.reserveCapacity(response.results.count * 64 + 16)
        out.append(contentsOf: #"{"results":["#.utf8)
        for (i, result) in response.results.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"changeId":"#.utf8)
            FlatJSON.writeString(result.changeId, into: &out)
            out.append(contentsOf: #","status":"#.utf8)
            FlatJSON.writeString(result.status.rawValue, into: &out)
            if let reason = result.reason {
                out.append(contentsOf: #","reason":"#.utf8)
                FlatJSON.writeString(reason, into: &out)
            }
            out.append(contentsOf: #","replayed":"#.utf8)
            out.append(contentsOf: (result.replayed ? "true" : "false").utf8)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return Data(out)
    }

    public static func decode(_ type: PushResponse.Type, from data: Data) throws -> PushResponse {
        if let fast = try? scan(
            data,
            { scanner in
                var results: [ChangeResult]?
                try scanner.members { key, scanner in
                    guard key == "results" else { throw JSONScanner.Unsupported() }
                    results = try scanner.array(changeResult)
                }
                guard let results else { throw JSONScanner.Unsupported() }
                return PushResponse(results: results)
            })
        {
            return fast
        }
        return try JSONDecoder().decode(PushResponse.self, from: data)
    }

    private static func changeResult(_ scanner: inout JSONScanner) throws -> ChangeResult {
        var changeId: String?
        var status: ChangeStatus?
        var reason: String?
        var replayed: Bool?
        try scanner.members { key, scanner in
            switch key {
            case "changeId": changeId = try scanner.string()
            case "status":
                guard let s = ChangeStatus(rawValue: try scanner.string()) else { throw JSONScanner.Unsupported() }
                status = s
            case "reason": reason = try scanner.null() ? nil : try scanner.string()
            case "replayed": replayed = try scanner.bool()
            default: throw JSONScanner.Unsupported()
            }
        }
        guard let changeId, let status, let replayed else { throw JSONScanner.Unsupported() }
        return ChangeResult(changeId: changeId, status: status, reason: reason, replayed: replayed)
    }

    static func scan<T>(_ data: Data, _ body: (inout JSONScanner) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw.bindMemory(to: UInt8.self))
            let value = try body(&scanner)
            guard scanner.atEnd else { throw JSONScanner.Unsupported() }
            return value
        }
    }
}

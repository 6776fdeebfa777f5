import Crypto
import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import Testing

@testable import MemberCore
@testable import SyncServer

/// Whole random requests against every route of the document, with mutated bodies and headers.
extension FuzzGenerator {
    // MARK: Whole requests

    enum BodyKind: String, CaseIterable {
        case mutated, valid, randomBytes, truncated, gzipJSON, corruptGzip, empty, none
    }

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
                    r.body = gzipBody(Data(base.text.utf8))
                    gzipped = true
                case .corruptGzip:
                    var data = gzipBody(Data(base.text.utf8))
                    if rng.chance(0.5) {
                        data = data.prefix(rng.int(0...data.count - 1))
                    } else {
                        for _ in 0..<rng.int(1...4) { data[rng.int(0...data.count - 1)] ^= UInt8(rng.int(1...255)) }
                    }
                    r.body = data
                    gzipped = true
                case .empty: r.body = Data()
                case .none: r.body = nil
                }
                r.note = kind.rawValue + (applied.isEmpty ? "" : " " + applied.joined(separator: "+"))
                contentType =
                    rng.chance(0.75)
                    ? rng.pick([
                        "application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
                        "application/json;charset=gbk",
                    ]) : garbageContentType()
            } else if op.bodyType == "application/offset+octet-stream" {
                r.body =
                    rng.chance(0.8) ? rng.bytes(rng.pick([0, 1, 100, 4_096])) : Data(value(nil, key: nil).text.utf8)
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
            r.headers.append(
                ("Content-Encoding", rng.pick(["gzip", "gzip", "GZIP", "gzip ", "x-gzip", "gzip, identity"])))
        } else if rng.chance(0.12) {
            r.headers.append(
                ("Content-Encoding", rng.pick(["gzip", "br", "deflate", "identity", "compress", rng.headerText(8)])))
        }
        if rng.chance(0.15) {
            r.headers.append(
                (
                    rng.pick([
                        "X-Fuzz", "Accept", "Accept-Encoding", "Content-Type", "Transfer-Encoding-X", "Origin",
                        ProtocolVersion.header, "Tus-Resumable", "Upload-Offset",
                    ]),
                    rng.headerText(rng.pick([1, 12, 600]))
                ))
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
            let raw = rng.pick([
                rng.text(rng.int(1...40)), String(repeating: "a", count: 2_500), "..", ".", "%2F", "a%2Fb", "%00",
                "%zz", "%", own.uppercased(), own + "/extra", " ", "🏦", "1 OR 1=1", "m-001", "'",
            ])
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "/?#;")
            id =
                raw.contains("%") || raw.hasSuffix("/extra")
                ? raw : raw.addingPercentEncoding(withAllowedCharacters: allowed) ?? "x"
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
                text = rng.pick([
                    "-1", "0", "abc", "", "1e3", "9223372036854775808", "5001", "1.5", "true", "TRUE", "１", " 1",
                    rng.text(rng.int(1...30)),
                ])
            }
            pairs.append("\(name)=\(text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")")
        }
        if rng.chance(0.15) {
            pairs.append(rng.pick(["after=1&after=2", "x=%zz", "&&", "=", "limit", "detail=%E9%93%B6"]))
        }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    mutating func validHeader(_ parameter: [String: Any]) -> String {
        let schema = doc.resolve(parameter["schema"])
        if let c = schema["const"] { return "\(c)" }
        if let e = schema["enum"] as? [Any], !e.isEmpty { return "\(rng.pick(e))" }
        if let examples = schema["examples"] as? [Any], !examples.isEmpty, rng.chance(0.6) {
            return "\(rng.pick(examples))"
        }
        switch parameter["name"] as? String {
        case "Upload-Metadata":
            let material = rng.pick([pools.ownMaterial, pools.foreignMaterial, rng.uuid()])
            let sha = rng.hex(64)
            return
                "materialId \(Data(material.utf8).base64EncodedString()),sha256 \(Data(sha.utf8).base64EncodedString())"
        case "Upload-Checksum":
            return "sha256 \(rng.bytes(32).base64EncodedString())"
        default: break
        }
        if schema["type"] as? String == "integer" {
            let low = (schema["minimum"] as? Int) ?? 0
            let high = max(low, (schema["maximum"] as? Int) ?? 1_000_000)
            return String(rng.int(low...high))
        }
        return rng.headerText(rng.int(1...16))
    }

    mutating func garbageHeader(_ name: String) -> String {
        let common = [
            "0", "-1", "abc", "1.0", "99", "999999999999999999999999", "null", "true", " ", "\u{7f}x", "银行", "é", "１",
            rng.headerText(rng.int(1...40)), rng.headerText(3_000),
        ]
        let specific: [String]
        switch name {
        case ProtocolVersion.header: specific = ["0", "99", "2", "-0", "+1", "01", "1 1", "0x1", "1.0", "１"]
        case "Tus-Resumable": specific = ["1.0", "0.2.2", "1.0.0 ", "1.0.0,1.0.0", "1.0.1", "v1.0.0"]
        case "Upload-Length":
            specific = ["0", "-5", "10485761", "9223372036854775807", "9223372036854775808", "1e3", "0x10"]
        case "Upload-Offset": specific = ["-1", "1", "300000", "9223372036854775807", "+0", "00"]
        case "Upload-Metadata":
            specific = [
                "materialId", "materialId !!!,sha256 ???", "sha256 \(Data(rng.hex(63).utf8).base64EncodedString())",
                ",,,", "materialId \(Data(rng.text(30).utf8).base64EncodedString())",
            ]
        case "Upload-Checksum":
            specific = [
                "md5 abc", "sha256", "sha256 !!!", "sha256 \(rng.bytes(31).base64EncodedString())",
                "SHA256 \(rng.bytes(32).base64EncodedString())", "sha1 AAAA",
            ]
        case "Accept-Encoding": specific = ["br", "*", "gzip;q=0", "identity", "gzip, deflate, br, zstd"]
        default: specific = []
        }
        return rng.chance(0.7) && !specific.isEmpty ? rng.pick(specific) : rng.pick(common)
    }

    mutating func garbageContentType() -> String {
        rng.pick([
            "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
            "application/jsonp", "json", "*/*", "application/offset+octet-stream", rng.headerText(rng.int(1...30)),
        ])
    }

    mutating func forgedAuthorization() -> String {
        let token = rng.bytes(32).base64EncodedString().replacingOccurrences(of: "/", with: "_").replacingOccurrences(
            of: "+", with: "-")
        return rng.pick([
            "Bearer \(token)", "Bearer \(String(repeating: "A", count: 257))", "Bearer", "Bearer ", "bearer \(token)",
            "Basic dXNlcjpwYXNz", "Bearer  \(token)", "Token \(token)", "Bearer \(rng.headerText(40))",
            "Bearer \(token) extra", rng.headerText(rng.int(1...60)),
        ])
    }
}

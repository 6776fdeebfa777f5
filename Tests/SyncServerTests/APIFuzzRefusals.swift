import Crypto
import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import Testing

@testable import MemberCore
@testable import SyncServer

/// Requests built to be refused, each with the statuses it may be answered with.
extension FuzzGenerator {
    // MARK: Requests that must be refused

    struct Refused {
        var request: FuzzRequest
        var expected: Set<Int>
        var why: String
    }

    /// A request with one defect that no random remainder can cure, and the answers it may get.
    mutating func refusedRequest() -> Refused {
        let push = doc.operations.first { $0.path == "/v1/sync/push" }!
        let validHeaders = [("Content-Type", "application/json"), (ProtocolVersion.header, "1")]
        func pushBody(_ g: inout FuzzGenerator, nonEmpty: Bool = true) -> FuzzJSON {
            var body = g.coherentPush(g.value(push.bodySchema, key: nil))
            if nonEmpty, case .array(let changes)? = body["changes"], changes.isEmpty {
                body = g.coherentPush(
                    body.setting(
                        "changes", .array([g.value(g.doc.resolve(["$ref": "#/components/schemas/Change"]), key: nil)])))
            }
            return body
        }
        func pushRequest(_ body: Data?, headers: [(String, String)], note: String, mode: FuzzTokenMode = .member)
            -> FuzzRequest
        {
            FuzzRequest(method: "POST", path: "/v1/sync/push", headers: headers, body: body, mode: mode, note: note)
        }
        let tus = ("Tus-Resumable", "1.0.0")
        switch rng.int(0...21) {
        case 0:
            let version = rng.pick([nil, "0", "99", "abc", "-1", "1.5", "１", "2"])
            let headers =
                [("Content-Type", "application/json")] + (version.map { [(ProtocolVersion.header, $0)] } ?? [])
            return Refused(
                request: pushRequest(Data(pushBody(&self).text.utf8), headers: headers, note: "protocol header"),
                expected: [400, 426], why: "bad protocol header \(version ?? "missing")")
        case 1:
            let type = rng.pick([nil, "text/plain", "application/xml", "multipart/form-data", "text/json"])
            let headers = [(ProtocolVersion.header, "1")] + (type.map { [("Content-Type", $0)] } ?? [])
            return Refused(
                request: pushRequest(Data(pushBody(&self).text.utf8), headers: headers, note: "content type"),
                expected: [415], why: "content type \(type ?? "missing")")
        case 2:
            let encoding = rng.pick(["br", "deflate", "compress", "identity", "zstd"])
            return Refused(
                request: pushRequest(
                    Data(pushBody(&self).text.utf8), headers: validHeaders + [("Content-Encoding", encoding)],
                    note: "encoding"), expected: [415], why: "content encoding \(encoding)")
        case 3:
            var data = gzipBody(Data(pushBody(&self).text.utf8))
            if rng.chance(0.5) {
                data = data.prefix(rng.int(2...max(2, data.count / 2)))
            } else {
                data = Data([0x00]) + rng.bytes(rng.int(0...300))
            }
            return Refused(
                request: pushRequest(
                    data, headers: validHeaders + [("Content-Encoding", "gzip")], note: "corrupt gzip"),
                expected: [400], why: "corrupt gzip")
        case 4:
            var body = pushBody(&self)
            guard case .object(var members) = body else { break }
            let dropped = members.remove(at: rng.int(0...members.count - 1)).0
            body = .object(members)
            return Refused(
                request: pushRequest(Data(body.text.utf8), headers: validHeaders, note: "drop \(dropped)"),
                expected: [400], why: "missing \(dropped)")
        case 5:
            let body = rng.pick([FuzzJSON.array([pushBody(&self)]), .string("push"), .int(1), .null, .bool(false)])
            return Refused(
                request: pushRequest(Data(body.text.utf8), headers: validHeaders, note: "root type"), expected: [400],
                why: "wrong root type")
        case 6:
            let text = Data(pushBody(&self).text.utf8)
            return Refused(
                request: pushRequest(
                    text.prefix(rng.int(0...text.count - 1)), headers: validHeaders, note: "truncated"),
                expected: [400], why: "truncated JSON")
        case 7:
            let body = Data([rng.pick([0x00, 0xFF, 0x7B, 0x5B, 0x22])]) + rng.bytes(rng.int(0...1_000))
            return Refused(
                request: pushRequest(
                    body.first == 0x7B || body.first == 0x5B || body.first == 0x22 ? Data("{\u{1}".utf8) + body : body,
                    headers: validHeaders, note: "random bytes"), expected: [400], why: "random bytes")
        case 8:
            let depth = rng.pick([513, 5_000, 50_000])
            let body = Data((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
            return Refused(
                request: pushRequest(body, headers: validHeaders, note: "nesting \(depth)"), expected: [400],
                why: "nesting \(depth)")
        case 9:
            let version = rng.pick([0, -1, 2, 99, Int.min, Int.max])
            let body = pushBody(&self).setting("protocolVersion", .int(Int64(version)))
            return Refused(
                request: pushRequest(Data(body.text.utf8), headers: validHeaders, note: "body version"),
                expected: [400, 426], why: "protocolVersion \(version) in the body")
        case 10:
            let body = pushBody(&self)
            guard case .array(var changes)? = body["changes"], !changes.isEmpty else { break }
            let i = rng.int(0...changes.count - 1)
            changes[i] = changes[i].setting(
                "changeId", .string(rng.pick(["other:1", "", "fuzz", String(repeating: "9", count: 97), rng.text(10)])))
            let spoiled =
                rng.chance(0.5)
                ? body.setting("changes", .array(changes))
                : body.setting("clientId", .string(rng.pick(["", String(repeating: "c", count: 65)])))
            return Refused(
                request: pushRequest(Data(spoiled.text.utf8), headers: validHeaders, note: "change id"),
                expected: [400],
                why: "change id not of the client")
        case 11:
            let body = pushBody(&self)
            guard case .array(let changes)? = body["changes"], let first = changes.first else { break }
            return Refused(
                request: pushRequest(
                    Data(body.setting("changes", .array(changes + [first])).text.utf8), headers: validHeaders,
                    note: "duplicate id"), expected: [400], why: "duplicate change id")
        case 12:
            let body = pushBody(&self)
            guard case .array(var changes)? = body["changes"], !changes.isEmpty else { break }
            let i = rng.int(0...changes.count - 1)
            let spoil = rng.int(0...3)
            switch spoil {
            case 0: changes[i] = changes[i].setting("op", .string(rng.pick(["insert", "UPSERT", "", "drop"])))
            case 1:
                changes[i] = changes[i].setting(
                    "fields",
                    .object([("mobile", rng.pick([.array([]), .object([]), .number("1.5"), .number("1e400")]))]))
            case 2:
                guard case .object(var members) = changes[i] else { break }
                let key = rng.pick(["changeId", "table", "recordId", "op", "fields", "hlc"])
                members.removeAll { $0.0 == key }
                changes[i] = members.count < 6 ? .object(members) : changes[i].setting("hlc", .int(5))
            default: changes[i] = changes[i].setting("recordId", rng.pick([.null, .int(7), .array([])]))
            }
            return Refused(
                request: pushRequest(
                    Data(body.setting("changes", .array(changes)).text.utf8), headers: validHeaders,
                    note: "bad change \(spoil)"), expected: [400], why: "undecodable change")
        case 13:
            let change = FuzzJSON.object([
                ("changeId", .string("fuzz:1")), ("table", .string("profile")), ("recordId", .string(pools.memberId)),
                ("op", .string("upsert")), ("fields", .object([("mobile", .string("13912345678"))])),
                ("hlc", .string(hlc(node: "fuzz"))),
            ])
            let many = (0...ProtocolVersion.maxChangesPerPush).map { change.setting("changeId", .string("fuzz:\($0)")) }
            let body = FuzzJSON.object([
                ("protocolVersion", .int(1)), ("clientId", .string("fuzz")), ("changes", .array(many)),
            ])
            return Refused(
                request: pushRequest(Data(body.text.utf8), headers: validHeaders, note: "501 changes"), expected: [413],
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
            return Refused(
                request: FuzzRequest(
                    method: "POST", path: "/v1/auth/login", headers: headers, body: Data(body.text.utf8),
                    mode: .none, note: "login \(spoil)"), expected: [400, 415], why: "malformed login")
        case 16:
            let login = rng.pick(["", String(repeating: "l", count: 65)])
            let body = FuzzJSON.object([("login", .string(login)), ("password", .string(rng.text(8)))])
            return Refused(
                request: FuzzRequest(
                    method: "POST", path: "/v1/auth/login", headers: [("Content-Type", "application/json")],
                    body: Data(body.text.utf8), mode: .none, note: "login length"), expected: [401],
                why: "login empty or too long")
        case 17:
            let path =
                "/v1/sync/pull?"
                + rng.pick([
                    "after=-1", "after=abc", "after=1e3", "limit=0", "limit=5001", "limit=-3", "limit=x",
                    "after=9223372036854775808",
                ])
            return Refused(
                request: FuzzRequest(method: "GET", path: path, headers: validHeaders, mode: .member, note: "none"),
                expected: [400], why: "bad pull query")
        case 18:
            let defect = rng.int(0...4)
            var headers: [(String, String)] = [
                tus, ("Upload-Length", "300008"),
                (
                    "Upload-Metadata",
                    "materialId \(Data(pools.ownMaterial.utf8).base64EncodedString()),sha256 \(Data(rng.hex(64).utf8).base64EncodedString())"
                ),
            ]
            var expected: Set<Int> = [400]
            switch defect {
            case 0:
                headers.removeFirst()
                if rng.chance(0.5) { headers.append(("Tus-Resumable", rng.pick(["1.0", "0.2.2", "2"]))) }
                expected = [412]
            case 1:
                headers[1].1 = rng.pick(["0", "-1", "x", "", "1.5"])
                if headers[1].1.isEmpty { headers.remove(at: 1) }
            case 2:
                headers[1].1 = rng.pick(["10485761", "9223372036854775807"])
                expected = [413]
            case 3:
                headers[2].1 = rng.pick([
                    "", "materialId", "sha256 \(Data(rng.hex(64).utf8).base64EncodedString())", "x y z",
                ])
                if headers[2].1.isEmpty { headers.remove(at: 2) }
            default:
                headers[2].1 =
                    "materialId \(Data(pools.foreignMaterial.utf8).base64EncodedString()),sha256 \(Data(rng.hex(64).utf8).base64EncodedString())"
                expected = [404]
            }
            // A random sha never matches the registered one: the own material answers 400 material_mismatch.
            return Refused(
                request: FuzzRequest(
                    method: "POST", path: "/v1/uploads", headers: headers, body: rng.chance(0.5) ? Data() : nil,
                    mode: .member, note: "create \(defect)"), expected: expected, why: "bad upload creation \(defect)")
        case 19:
            let id = rng.pick([pools.foreignUpload, rng.uuid(), pools.ownMaterial])
            let method = rng.pick(["HEAD", "PATCH", "DELETE"])
            var headers = [tus]
            if method == "PATCH" {
                headers += [("Content-Type", "application/offset+octet-stream"), ("Upload-Offset", "0")]
            }
            return Refused(
                request: FuzzRequest(
                    method: method, path: "/v1/uploads/\(id)", headers: headers,
                    body: method == "PATCH" ? rng.bytes(rng.int(0...500)) : nil, mode: .member, note: "foreign upload"),
                expected: [404], why: "someone else's or no upload")
        case 20:
            let defect = rng.int(0...3)
            var headers = [tus, ("Content-Type", "application/offset+octet-stream"), ("Upload-Offset", "0")]
            var expected: Set<Int> = [400]
            switch defect {
            case 0:
                headers[1].1 = rng.pick(["application/json", "application/octet-stream", "text/plain"])
                expected = [415]
            case 1:
                headers[2].1 = rng.pick(["999999", "1"])
                expected = [409]
            case 2:
                headers[2].1 = rng.pick(["x", "", "1.5", "-1", "+0"])
                if headers[2].1.isEmpty { headers.remove(at: 2) }
            default:
                headers.append(
                    (
                        "Upload-Checksum",
                        rng.pick([
                            "md5 abc", "sha256", "sha256 !!!", "crc32 \(rng.bytes(4).base64EncodedString())",
                            "sha1 \(rng.bytes(19).base64EncodedString())",
                        ])
                    ))
            }
            return Refused(
                request: FuzzRequest(
                    method: "PATCH", path: "/v1/uploads/\(pools.ownUpload)", headers: headers,
                    body: rng.bytes(rng.int(1...500)), mode: .member, note: "own upload \(defect)"),
                expected: expected, why: "bad chunk \(defect)")
        default:
            let (method, path) = rng.pick([
                ("GET", "/v1/materials/\(pools.foreignMaterial)"), ("GET", "/v1/materials/\(pools.ownMaterial)"),
                ("GET", "/v1/materials/\(rng.uuid())"), ("PUT", "/v1/sync/push"), ("DELETE", "/v1/me"),
                ("GET", "/v1/uploads"), ("GET", "/v1/\(rng.uuid())"), ("POST", "/v1/health"),
            ])
            return Refused(
                request: FuzzRequest(method: method, path: path, headers: validHeaders, mode: .member, note: "none"),
                expected: [404, 405], why: "nothing there to read")
        }
        // A spoiler that found nothing to spoil: fall back to a certain refusal.
        return Refused(
            request: pushRequest(Data("{".utf8), headers: validHeaders, note: "open brace"), expected: [400],
            why: "open brace")
    }
}

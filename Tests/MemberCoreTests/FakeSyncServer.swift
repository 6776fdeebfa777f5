import Crypto
import Foundation
import MutualAidDomain
import SyncProtocol

@testable import MemberCore

/// A sync server in memory, behind the `HTTPTransport` the client talks through: push, pull
/// and the tus upload routes answered from plain state with the real wire types. No process,
/// no TLS, no sockets. Tests arrange its answers and read what it received through `with`.
final class FakeSyncServer: HTTPTransport, @unchecked Sendable {
    struct Upload {
        var materialId: String
        var length: Int64
        var bytes = Data()
    }

    struct State {
        /// Every change id the server has handled, with the change as first received.
        var handled: [String: Change] = [:]
        /// How often each change id was applied: exactly-once means never more than 1.
        var applications: [String: Int] = [:]
        /// The server's answer to a change it has not seen: nil applies it, a text rejects it.
        var rejection: @Sendable (Change) -> String? = { _ in nil }
        /// Change ids the server leaves out of its answer (and does not apply) the first time.
        var unansweredOnce: Set<String> = []
        /// The feed the client pulls, in `seq` order.
        var feed: [FeedEntry] = []
        /// Entries per pull page at most, whatever the client asks for.
        var pullPageSize = 2000
        /// Whether a pull answer with more names the next page's `after` in its headers (as the
        /// real server does), and by how much that header is off (a broken server).
        var namesNextPage = true
        var nextAfterSkew: Int64 = 0
        var uploads: [String: Upload] = [:]
        /// Materials whose whole file arrived: a new upload of one is answered 409.
        var verified: Set<String> = []
        /// Whether a POST carrying the whole file stores it (tus creation-with-upload); off, the
        /// body is ignored, as an older server or a tus server without the extension does.
        var takesFileInCreation = false
        /// The next whole file in a POST is stored, then the connection breaks before the answer.
        var creationAnswerLost = false
        /// PATCH number `patch` (counting from 1) stores only `keep` bytes, then the connection
        /// breaks; with `thenDown` the server stays unreachable afterwards.
        var cut: (patch: Int, keep: Int, thenDown: Bool)?
        var patches = 0
        /// While true every request fails as if the server could not be reached.
        var down = false
        /// How many changes each push carried, in order (those refused in `refusedSizes`).
        var pushSizes: [Int] = []
        var refusedSizes: [Int] = []
        /// Said on every push answer (`X-Sync-Max-Changes`) when set; like the first release,
        /// the fake says nothing otherwise.
        var advertisedMaxChanges: Int?
        /// Pushes of more changes are refused (413 `batch_too_large`), whatever is advertised:
        /// an instance of the first release behind the same address as a newer one.
        var refusesAbove: Int?
        /// After this many more answered pushes (pulls) the server goes down.
        var pushesUntilDown: Int?
        var pullsUntilDown: Int?
        /// Each answer to push and pull waits this long (to let concurrent syncs overlap).
        var latency: Duration = .zero
        /// "METHOD /path?query" of every request that reached the server, in order.
        var log: [String] = []
        /// Push and pull requests being answered now, and the most there ever were at once.
        var inFlight = 0
        var maxInFlight = 0

        mutating func countDown(_ counter: WritableKeyPath<State, Int?>) {
            guard let left = self[keyPath: counter] else { return }
            self[keyPath: counter] = left > 1 ? left - 1 : nil
            if left == 1 { down = true }
        }
    }

    private let lock = NSLock()
    private var state = State()

    func with<T>(_ body: (inout State) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        guard let url = URLComponents(string: request.url) else { return Self.answer(400) }
        let target = url.path + (url.query.map { "?" + $0 } ?? "")
        let isDown = with { state in
            if !state.down { state.log.append("\(request.method) \(target)") }
            return state.down
        }
        if isDown { throw .unreachable("fake server is down") }
        switch (request.method, url.path) {
        case ("POST", "/v1/sync/push"), ("GET", "/v1/sync/pull"):
            let latency = with { state in
                state.inFlight += 1
                state.maxInFlight = max(state.maxInFlight, state.inFlight)
                return state.latency
            }
            defer { with { $0.inFlight -= 1 } }
            if latency > .zero { try? await Task.sleep(for: latency) }
            let isPush = request.method == "POST"
            let answer = isPush ? push(request) : pull(url)
            with { $0.countDown(isPush ? \.pushesUntilDown : \.pullsUntilDown) }
            return answer
        case ("POST", "/v1/uploads"):
            return try createUpload(request)
        case ("HEAD", _) where url.path.hasPrefix("/v1/uploads/"):
            return head(String(url.path.dropFirst("/v1/uploads/".count)))
        case ("PATCH", _) where url.path.hasPrefix("/v1/uploads/"):
            return try patch(String(url.path.dropFirst("/v1/uploads/".count)), request)
        default:
            return Self.answer(404)
        }
    }

    // MARK: Sync routes

    private func push(_ request: HTTPRequest) -> HTTPResponse {
        var body = request.body ?? Data()
        if request.headers.contains(where: { $0 == ("Content-Encoding", "gzip") }) {
            guard let plain = try? Gzip.decompress(body, limit: 64 << 20) else { return Self.answer(400) }
            body = plain
        }
        guard
            let push = WireJSON.fastDecode(PushRequest.self, from: body)
                ?? (try? JSONDecoder().decode(PushRequest.self, from: body))
        else { return Self.answer(400) }
        if let most = with({ $0.refusesAbove }), push.changes.count > most {
            with { $0.refusedSizes.append(push.changes.count) }
            let error = #"{"error":{"code":"batch_too_large","message":"单次最多同步 2000 条更改，请分批发送"}}"#
            return Self.answer(413, headers: ["content-type": "application/json"], body: Data(error.utf8))
        }
        let results = with { state in
            state.pushSizes.append(push.changes.count)
            return push.changes.compactMap { change -> ChangeResult? in
                if state.unansweredOnce.remove(change.changeId) != nil { return nil }
                if let earlier = state.handled[change.changeId] {
                    // A retried batch is answered again; the same id with other content is a restored backup.
                    return earlier == change
                        ? ChangeResult(changeId: change.changeId, status: .applied, replayed: true)
                        : ChangeResult(changeId: change.changeId, status: .changeIdReused)
                }
                state.handled[change.changeId] = change
                if let reason = state.rejection(change) {
                    return ChangeResult(changeId: change.changeId, status: .rejected, reason: reason)
                }
                state.applications[change.changeId, default: 0] += 1
                return ChangeResult(changeId: change.changeId, status: .applied)
            }
        }
        let said = with { $0.advertisedMaxChanges }.map { [ProtocolVersion.maxChangesHeader.lowercased(): String($0)] }
        return Self.answer(200, headers: said ?? [:], body: WireJSON.encode(PushResponse(results: results)))
    }

    private func pull(_ url: URLComponents) -> HTTPResponse {
        let query = Dictionary(
            (url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        let after = Int64(query["after"] ?? "0") ?? 0
        let limit = Int(query["limit"] ?? "") ?? 2000
        let (page, names, skew) = with { state in
            let newer = state.feed.filter { $0.seq > after }
            let entries = Array(newer.prefix(min(limit, state.pullPageSize)))
            let page = PullResponse(
                changes: entries, cursor: entries.last?.seq ?? after, hasMore: newer.count > entries.count)
            return (page, state.namesNextPage, state.nextAfterSkew)
        }
        var headers: [String: String] = [:]
        if names, page.hasMore, !page.changes.isEmpty {
            headers[ProtocolVersion.nextAfterHeader.lowercased()] = String(page.cursor + skew)
        }
        // The real server writes the document `Codable` produces (the client reads it with WireJSON).
        return Self.answer(200, headers: headers, body: (try? JSONEncoder().encode(page)) ?? Data())
    }

    // MARK: tus

    private func createUpload(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        let header = Dictionary(request.headers, uniquingKeysWith: { a, _ in a })
        guard let length = header["Upload-Length"].flatMap({ Int64($0) }),
            let materialId = Self.metadata(header["Upload-Metadata"] ?? "")["materialId"]
        else { return Self.answer(400) }
        let body = request.body ?? Data()
        let outcome: Result<(id: String, held: Int64)?, TransportError> = with { state in
            if !body.isEmpty { state.log[state.log.count - 1] += " +\(body.count)" }
            guard !state.verified.contains(materialId) else { return .success(nil) }
            let id = "up-\(state.uploads.count + 1)"
            let whole = state.takesFileInCreation && Int64(body.count) == length
            state.uploads[id] = Upload(materialId: materialId, length: length, bytes: whole ? body : Data())
            guard whole else { return .success((id, 0)) }
            state.verified.insert(materialId)
            if state.creationAnswerLost {
                state.creationAnswerLost = false
                return .failure(.connectionLost)
            }
            return .success((id, length))
        }
        switch outcome {
        case .failure(let error): throw error
        case .success(nil): return Self.answer(409)
        case .success(let created?):
            return Self.answer(
                201, headers: ["location": "/v1/uploads/\(created.id)", "upload-offset": String(created.held)])
        }
    }

    private func head(_ id: String) -> HTTPResponse {
        guard let upload = with({ $0.uploads[id] }) else { return Self.answer(404) }
        return Self.answer(
            200, headers: ["upload-offset": String(upload.bytes.count), "upload-length": String(upload.length)])
    }

    private func patch(_ id: String, _ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        let header = Dictionary(request.headers, uniquingKeysWith: { a, _ in a })
        let chunk = request.body ?? Data()
        guard let offset = header["Upload-Offset"].flatMap({ Int64($0) }) else { return Self.answer(400) }
        let expected = "sha256 " + Data(SHA256.hash(data: chunk)).base64EncodedString()
        let checksum = header["Upload-Checksum"]
        if let checksum, checksum != expected { return Self.answer(460) }
        let outcome: Result<Int, TransportError> = with { state in
            state.log[state.log.count - 1] += " @\(offset)"
            state.patches += 1
            guard var upload = state.uploads[id] else { return .success(-404) }
            guard offset == Int64(upload.bytes.count) else { return .success(-409) }
            // Only the chunk that ends the file may go without a checksum (the real server then
            // checks the whole file's hash).
            guard checksum != nil || offset + Int64(chunk.count) == upload.length else { return .success(-400) }
            if let cut = state.cut, cut.patch == state.patches {
                // The connection broke mid-chunk: the server keeps what reached it.
                upload.bytes.append(chunk.prefix(cut.keep))
                state.uploads[id] = upload
                state.down = cut.thenDown
                return .failure(.connectionLost)
            }
            upload.bytes.append(chunk)
            state.uploads[id] = upload
            if Int64(upload.bytes.count) == upload.length { state.verified.insert(upload.materialId) }
            return .success(upload.bytes.count)
        }
        switch outcome {
        case .failure(let error): throw error
        case .success(let code) where code < 0: return Self.answer(-code)
        case .success(let held): return Self.answer(204, headers: ["upload-offset": String(held)])
        }
    }

    private static func metadata(_ text: String) -> [String: String] {
        var pairs: [String: String] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: " ")
            guard parts.count == 2, let value = Data(base64Encoded: String(parts[1])) else { continue }
            pairs[String(parts[0])] = String(decoding: value, as: UTF8.self)
        }
        return pairs
    }

    private static func answer(_ status: Int, headers: [String: String] = [:], body: Data = Data()) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers.merging(["tus-resumable": "1.0.0"]) { a, _ in a }, body: body)
    }
}

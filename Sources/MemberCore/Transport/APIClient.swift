import Foundation
import MutualAidDomain
import SyncProtocol

/// JSON over the transport: auth header, protocol version, gzip, retries, and server errors
/// turned into `ClientError`s.
struct APIClient: Sendable {
    let transport: any HTTPTransport
    let baseURL: String
    var token: String?
    var retry = RetryPolicy()

    func get<T: Decodable>(_ path: String, query: [(String, String)] = [], as: T.Type) async throws -> T {
        try await call("GET", path, query: query, body: Optional<Data>.none) {
            try JSONDecoder().decode(T.self, from: $0)
        }
    }

    func post<B: Encodable, T: Decodable>(_ path: String, _ body: B, as: T.Type) async throws -> T {
        try await call("POST", path, body: try JSONEncoder().encode(body)) {
            try JSONDecoder().decode(T.self, from: $0)
        }
    }

    func put<B: Encodable, T: Decodable>(_ path: String, _ body: B, as: T.Type) async throws -> T {
        try await call("PUT", path, body: try JSONEncoder().encode(body)) { try JSONDecoder().decode(T.self, from: $0) }
    }

    func patch<B: Encodable, T: Decodable>(_ path: String, _ body: B, as: T.Type) async throws -> T {
        try await call("PATCH", path, body: try JSONEncoder().encode(body)) {
            try JSONDecoder().decode(T.self, from: $0)
        }
    }

    func delete<T: Decodable>(_ path: String, as: T.Type) async throws -> T {
        try await call("DELETE", path, body: Optional<Data>.none) { try JSONDecoder().decode(T.self, from: $0) }
    }

    /// The sync routes' bodies are large and decoded by hand (`WireJSON`).
    func call<T>(
        _ method: String, _ path: String, query: [(String, String)] = [], body: Data?,
        decode: (Data) throws -> T
    ) async throws -> T {
        try await call(method, path, query: query, body: body, answer: { try decode($0.body) })
    }

    /// The same, decoding from the whole answer (its headers too).
    func call<T>(
        _ method: String, _ path: String, query: [(String, String)] = [], body: Data?,
        answer decode: (HTTPResponse) throws -> T
    ) async throws -> T {
        try await call(method, path, query: query, packed: body.map(RequestBody.init(json:)), answer: decode)
    }

    /// The same with a body packed beforehand (a push batch is packed while the batch before
    /// is out, not between its answer and the next request).
    func call<T>(
        _ method: String, _ path: String, query: [(String, String)] = [], packed body: RequestBody?,
        answer decode: (HTTPResponse) throws -> T
    ) async throws -> T {
        var request = HTTPRequest(method: method, url: baseURL + path + Self.queryString(query))
        request.headers = [("Accept", "application/json"), (ProtocolVersion.header, String(ProtocolVersion.current))]
        if let token { request.headers.append(("Authorization", "Bearer \(token)")) }
        if let body {
            // A slow link still gets a full minute plus time for the bytes (at 32 KiB/s).
            request.timeout = 60 + Double(body.bytes.count) / 32_768
            request.headers.append(("Content-Type", "application/json"))
            if body.gzipped { request.headers.append(("Content-Encoding", "gzip")) }
            request.body = body.bytes
        }
        let response = try await sendWithRetry(request)
        guard (200..<300).contains(response.status) else { throw Self.error(from: response) }
        do {
            return try decode(response)
        } catch {
            throw ClientError.server(status: response.status, code: "bad_response", message: "服务器的回答无法解析")
        }
    }

    func sendWithRetry(_ request: HTTPRequest) async throws -> HTTPResponse {
        var attempt = 1
        while true {
            let outcome: RetryPolicy.Outcome
            var result: Result<HTTPResponse, TransportError>
            do {
                let response = try await transport.send(request)
                result = .success(response)
                outcome = RetryPolicy.outcome(
                    status: response.status,
                    retryAfter: response.header("retry-after").flatMap { Double($0) })
            } catch {
                result = .failure(error)
                outcome = error.isTransient ? .transient : .permanent
            }
            switch retry.next(after: outcome, attempt: attempt, random: Double.random(in: 0..<1)) {
            case .retry(let seconds):
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                attempt += 1
            case .finish, .giveUp:
                switch result {
                case .success(let response): return response
                case .failure(let error): throw Self.error(from: error)
                }
            }
        }
    }

    static func error(from error: TransportError) -> ClientError {
        switch error {
        case .unreachable(let detail): .unreachable(detail)
        case .timedOut: .unreachable("连接超时")
        case .connectionLost: .unreachable("连接中断")
        case .tls(let detail): .tls(detail)
        case .pinMismatch: .tls("服务器公钥与固定的公钥不符")
        case .other(let detail): .unreachable(detail)
        }
    }

    static func error(from response: HTTPResponse) -> ClientError {
        let body = try? JSONDecoder().decode(APIErrorBody.self, from: response.body)
        let code = body?.error.code ?? "http_\(response.status)"
        let message = body?.error.message ?? "服务器返回了错误"
        switch response.status {
        case 401:
            return code == "bad_credentials" ? .server(status: 401, code: code, message: message) : .sessionExpired
        case 426: return .upgradeRequired(message)
        default: return .server(status: response.status, code: code, message: message)
        }
    }

    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        var unreserved = CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        unreserved.formIntersection(.urlQueryAllowed)
        return "?"
            + query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")" }
            .joined(separator: "&")
    }
}

/// A JSON request body as it goes on the wire. Level 1: a 500-change batch deflates several
/// times faster than at level 5, for about a tenth more bytes. Should zlib fail, the body goes
/// as it is.
struct RequestBody: Sendable {
    let bytes: Data
    let gzipped: Bool

    init(json: Data) {
        if json.count > 1024, let packed = try? Gzip.compress(json, level: 1) {
            (bytes, gzipped) = (packed, true)
        } else {
            (bytes, gzipped) = (json, false)
        }
    }
}

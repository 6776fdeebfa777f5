import Foundation

/// The narrow interface the sync engine talks through; `CurlTransport` is the real one.
protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse
}

/// Makes the transport for a connection's TLS settings (they come from the stored session).
/// `MemberClient` uses libcurl; tests pass a fake that answers from memory.
typealias TransportFactory = @Sendable (TLSSettings) -> any HTTPTransport

struct HTTPRequest: Sendable {
    var method: String
    var url: String
    var headers: [(String, String)] = []
    var body: Data? = nil
    /// Seconds for the whole exchange; large transfers raise it.
    var timeout: TimeInterval = 60
}

struct HTTPResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// What went wrong below HTTP. `isTransient` decides whether a retry may help.
enum TransportError: Error, Equatable, Sendable {
    case unreachable(String)
    case timedOut
    case connectionLost
    case tls(String)
    case pinMismatch
    case other(String)

    var isTransient: Bool {
        switch self {
        case .unreachable, .timedOut, .connectionLost: true
        case .tls, .pinMismatch, .other: false
        }
    }
}

/// TLS settings of a connection: verification is always on.
struct TLSSettings: Sendable, Equatable {
    /// PEM bundle of the CA to trust instead of the system store (self-signed deployments).
    var caFile: String?
    /// "sha256//BASE64" public-key pin(s), optional.
    var pinnedPublicKey: String?
    /// The local address to connect from (tests use a second loopback address), optional.
    var localAddress: String? = nil
}

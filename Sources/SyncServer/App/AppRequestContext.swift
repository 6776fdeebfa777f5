import Hummingbird
import MutualAidDomain
import NIOCore
import SyncProtocol

/// Request context carrying the authenticated principal, set by `BearerAuthMiddleware`, and the
/// client's address (login back-off is keyed by it).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    /// The TCP peer, or, behind a trusted proxy, the client it names (`ForwardedClientMiddleware`).
    public internal(set) var clientAddress: String

    public init(source: Source) {
        coreContext = .init(source: source)
        principal = nil
        clientAddress = ClientAddress.key(source.channel.remoteAddress)
    }

    public var maxUploadSize: Int { SyncProtocol.ProtocolVersion.maxBodyBytes }

    /// The principal, or 401 when the route was reached without one.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw ServerError.unauthenticated }
        return principal
    }
}

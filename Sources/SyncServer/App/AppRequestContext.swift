import Hummingbird
import NIOCore

/// Request context carrying the authenticated principal, set by `BearerAuthMiddleware`.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?

    public init(source: Source) {
        coreContext = .init(source: source)
        principal = nil
    }

    public var maxUploadSize: Int { MutualAidDomain.ProtocolVersion.maxBodyBytes }

    /// The principal, or 401 when the route was reached without one.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw ServerError.unauthenticated }
        return principal
    }
}
import MutualAidDomain

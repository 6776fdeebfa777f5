import HTTPTypes
import Hummingbird

/// Behind a load balancer that terminates TLS (HAProxy with `option forwardfor`), the TCP peer is
/// the balancer: login back-off would count every member's failures as one address. When the
/// peer is one of the configured trusted proxies, the client is the last address it appended to
/// `X-Forwarded-For` (earlier entries come from the client and prove nothing). From any other
/// peer the header is ignored, so a client cannot choose its own key.
struct ForwardedClientMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trusted: Set<String>

    func handle(
        _ request: Request, context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard trusted.contains(context.clientAddress),
            let forwarded = request.headers[values: .xForwardedFor].last?.split(separator: ",").last,
            let client = ClientAddress.key(text: forwarded)
        else { return try await next(request, context) }
        var context = context
        context.clientAddress = client
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}

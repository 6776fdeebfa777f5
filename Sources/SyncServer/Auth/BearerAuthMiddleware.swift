import Foundation
import Hummingbird

/// Resolves `Authorization: Bearer …` to a principal; every route behind it answers a
/// missing, expired or forged token with 401.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: any CaseStore
    static let allowedBeforePasswordChange: Set<String> = ["/v1/auth/password", "/v1/auth/logout", "/v1/me"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization] else { throw ServerError.unauthenticated }
        guard let token = BearerToken.extract(fromAuthorization: header) else { throw ServerError.invalidToken }
        let now = Date()
        let tokenHash = BearerToken.hash(token)
        switch try await store.session(tokenHash: tokenHash, now: now) {
        case .missing: throw ServerError.invalidToken
        case .expired: throw ServerError.tokenExpired
        case .valid(let principal):
            if principal.mustChangePassword, !Self.allowedBeforePasswordChange.contains(request.uri.path) {
                throw ServerError.passwordChangeRequired
            }
            if (principal.sessionLastSeen ?? .distantPast) < now.addingTimeInterval(-SQLCaseStore.lastSeenResolution) {
                try await store.touchSession(tokenHash: tokenHash, address: context.clientAddress, now: now)
            }
            var context = context
            context.principal = principal
            context.logger[metadataKey: "account"] = .string(principal.accountId)
            return try await next(request, context)
        }
    }
}

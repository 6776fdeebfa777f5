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
        switch try await store.session(tokenHash: BearerToken.hash(token), now: Date()) {
        case .missing: throw ServerError.invalidToken
        case .expired: throw ServerError.tokenExpired
        case .valid(let principal):
            if principal.mustChangePassword, !Self.allowedBeforePasswordChange.contains(request.uri.path) {
                throw ServerError.passwordChangeRequired
            }
            var context = context
            context.principal = principal
            context.logger[metadataKey: "account"] = .string(principal.accountId)
            return try await next(request, context)
        }
    }
}

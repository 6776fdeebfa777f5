import Foundation
import Hummingbird

/// Resolves `Authorization: Bearer …` to a principal; every route behind it answers a
/// missing, expired or forged token with 401.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: any CaseStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { throw ServerError.unauthenticated }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", parts[1].count <= 256 else {
            throw ServerError.invalidToken
        }
        switch try await store.session(tokenHash: BearerToken.hash(String(parts[1])), now: Date()) {
        case .missing: throw ServerError.invalidToken
        case .expired: throw ServerError.tokenExpired
        case .valid(let principal):
            var context = context
            context.principal = principal
            context.logger[metadataKey: "account"] = .string(principal.accountId)
            return try await next(request, context)
        }
    }
}

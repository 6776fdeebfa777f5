import Foundation
import Hummingbird
import MutualAidDomain
import NIOCore
import SyncProtocol

/// PUT /v1/registrations/{id} and GET /v1/registrations/{id}: a unit registers before it has
/// an account, so these are public; the random id the client made is what lets it look the
/// outcome up. An agent sending a bearer token registers the unit directly.
struct RegistrationRoutes {
    let store: any CaseStore
    let content: any BlobStore

    func addPublic(to group: RouterGroup<AppRequestContext>) {
        group.put("registrations/:id") { request, context in
            let id = try context.parameters.require("id")
            let principal = try await optionalPrincipal(request)
            let body = try await JSONBody.decode(
                RegistrationRequest.self, from: request, limit: RegistrationRequest.maxBodyBytes)
            switch try await store.submitRegistration(id: id, body, by: principal, content: content, now: Date()) {
            case .success(let status): return try JSONBody.response(status, status: .ok, for: request)
            case .failure(let error): throw error
            }
        }
        group.get("registrations/:id") { request, context in
            let id = try context.parameters.require("id")
            guard id.utf8.count <= 64, let status = try await store.registrationStatus(id: id) else {
                throw ServerError.notFound
            }
            return try JSONBody.response(status, for: request)
        }
    }

    /// The certificate photos, for the agents who review the registration.
    func addAuthenticated(to group: RouterGroup<AppRequestContext>) {
        group.get("registrations/:id/:photo") { request, context in
            let principal = try context.requirePrincipal()
            let id = try context.parameters.require("id")
            let photo = try context.parameters.require("photo")
            guard let kind = RegistrationPhoto(rawValue: photo),
                let found = try await store.registrationPhoto(id: id, kind, by: principal)
            else {
                throw ServerError(.notFound, "not_found", "证件照片不存在或无权查看")
            }
            switch found {
            case .stored(let sha): return try await ContentResponse.verified(sha, from: content, logger: context.logger)
            case .legacy(let data):
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "image/jpeg", .contentDisposition: "attachment",
                        .xContentTypeOptions: "nosniff", .cacheControl: "private, no-store",
                    ],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
    }

    /// No header: a unit registering itself. A header must be a valid session.
    private func optionalPrincipal(_ request: Request) async throws -> Principal? {
        guard let header = request.headers[.authorization] else { return nil }
        guard let token = BearerToken.extract(fromAuthorization: header) else { throw ServerError.invalidToken }
        switch try await store.session(tokenHash: BearerToken.hash(token), now: Date()) {
        case .missing: throw ServerError.invalidToken
        case .expired: throw ServerError.tokenExpired
        case .valid(let principal):
            if principal.mustChangePassword { throw ServerError.passwordChangeRequired }
            return principal
        }
    }
}

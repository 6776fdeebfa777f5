import Foundation
import Hummingbird
import MutualAidDomain

/// POST /v1/auth/login, POST /v1/auth/logout, GET /v1/me.
struct AuthRoutes {
    let store: any CaseStore
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let tokenLifetime: TimeInterval

    func addPublic(to group: RouterGroup<AppRequestContext>) {
        group.post("auth/login") { request, _ in try await login(request) }
    }

    func addAuthenticated(to group: RouterGroup<AppRequestContext>) {
        group.post("auth/logout") { request, context in
            _ = try context.requirePrincipal()
            if let token = BearerToken.extract(fromAuthorization: request.headers[.authorization]) {
                try await store.deleteSession(tokenHash: BearerToken.hash(token))
            }
            return try JSONBody.response(["status": "ok"], for: request)
        }
        group.post("auth/password") { request, context in
            let principal = try context.requirePrincipal()
            let body = try await JSONBody.decode(PasswordChangeRequest.self, from: request)
            guard let account = try await store.account(login: principal.login),
                  hasher.verify(body.currentPassword, against: account.passwordHash) else {
                throw ServerError(.forbidden, "bad_credentials", "当前密码不正确")
            }
            do { try PasswordRules.validate(new: body.newPassword, current: body.currentPassword) } catch let v as RuleViolation { throw ServerError.rule(v) }
            try await store.setPassword(accountId: principal.accountId, hash: try hasher.hash(body.newPassword))
            return try JSONBody.response(["status": "ok"], for: request)
        }
        group.get("me") { request, context in
            let principal = try context.requirePrincipal()
            guard let info = try await store.accountInfo(accountId: principal.accountId) else { throw ServerError.invalidToken }
            return try JSONBody.response(info, for: request)
        }
    }

    private func login(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(LoginRequest.self, from: request)
        guard !body.login.isEmpty, body.login.count <= 64, body.password.count <= 256 else {
            throw ServerError.badCredentials
        }
        let now = Date()
        guard let account = try await store.account(login: body.login) else {
            // Same work as a real check, so the answer time does not reveal which logins exist.
            _ = hasher.verify(body.password, against: Self.dummyHash)
            throw ServerError.badCredentials
        }
        if let remaining = throttle.remainingLock(account.loginState, now: now) {
            throw ServerError.locked(minutes: Int((remaining / 60).rounded(.up)))
        }
        guard hasher.verify(body.password, against: account.passwordHash) else {
            let state = try await store.recordLoginFailure(accountId: account.id, throttle: throttle, now: now)
            if let remaining = throttle.remainingLock(state, now: now) {
                throw ServerError.locked(minutes: Int((remaining / 60).rounded(.up)))
            }
            throw ServerError.badCredentials
        }
        if account.loginState != throttle.afterSuccess() {
            try await store.saveLoginState(accountId: account.id, throttle.afterSuccess())
        }
        let token = BearerToken.make()
        let expires = now.addingTimeInterval(tokenLifetime)
        try await store.createSession(tokenHash: BearerToken.hash(token), accountId: account.id, expiresAt: expires, now: now)
        guard let info = try await store.accountInfo(accountId: account.id) else { throw ServerError.badCredentials }
        return try JSONBody.response(
            LoginResponse(token: token, expiresAt: Timestamp.format(expires), account: info,
                          mustChangePassword: account.mustChangePassword), for: request)
    }

    private static let dummyHash = (try? PasswordHasher.standard.hash("not-a-password")) ?? ""
}

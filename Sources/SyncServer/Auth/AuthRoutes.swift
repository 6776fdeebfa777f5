import Foundation
import Hummingbird
import MutualAidDomain
import SyncProtocol

/// POST /v1/auth/login, POST /v1/auth/logout, POST /v1/auth/password, GET /v1/me.
struct AuthRoutes {
    let store: any CaseStore
    let checks: PasswordChecks
    let throttle: LoginThrottle
    let tokenLifetime: TimeInterval

    func addPublic(to group: RouterGroup<AppRequestContext>) {
        group.post("auth/login") { request, context in try await login(request, context) }
    }

    func addAuthenticated(to group: RouterGroup<AppRequestContext>) {
        group.post("auth/logout") { request, context in
            _ = try context.requirePrincipal()
            if let token = BearerToken.extract(fromAuthorization: request.headers[.authorization]) {
                try await store.deleteSession(tokenHash: BearerToken.hash(token))
            }
            return try JSONBody.response(["status": "ok"], for: request)
        }
        group.post("auth/password") { request, context in try await changePassword(request, context) }
        group.get("me") { request, context in
            let principal = try context.requirePrincipal()
            guard let info = try await store.accountInfo(accountId: principal.accountId) else {
                throw ServerError.invalidToken
            }
            return try JSONBody.response(info, for: request)
        }
    }

    private func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(LoginRequest.self, from: request)
        let login = LoginName.normalized(body.login)
        guard !login.isEmpty, login.utf8.count <= 64, body.password.utf8.count <= 256,
            (body.clientId?.utf8.count ?? 0) <= ChangeRules.maxClientIdBytes
        else {
            throw ServerError.badCredentials
        }
        let now = Date()
        // Unknown logins take the same path: back-off, a check against a hash of the same cost,
        // the same 401 — their answers and timing do not tell which logins exist.
        let account = try await store.account(login: login)
        guard
            try await checkPassword(
                body.password, of: login, stored: account?.passwordHash,
                address: context.clientAddress, now: now),
            let account
        else {
            throw ServerError.badCredentials
        }
        if account.disabled { throw ServerError.accountDisabled }
        if checks.hasher.needsRehash(account.passwordHash) {
            // The cost was raised since this hash was made: the password is at hand only now.
            try await store.rehashPassword(
                accountId: account.id, from: account.passwordHash,
                to: try await checks.hash(body.password))
        }
        let token = BearerToken.make()
        let expires = now.addingTimeInterval(tokenLifetime)
        try await store.createSession(
            tokenHash: BearerToken.hash(token), accountId: account.id, expiresAt: expires, clientId: body.clientId,
            address: context.clientAddress, now: now)
        guard let info = try await store.accountInfo(accountId: account.id) else { throw ServerError.badCredentials }
        return try JSONBody.response(
            LoginResponse(
                token: token, expiresAt: Timestamp.format(expires), account: info,
                mustChangePassword: account.mustChangePassword), for: request)
    }

    /// A password change is throttled like a login: a wrong current password is a failed attempt
    /// on the account from this address. The new password ends every other session.
    private func changePassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let body = try await JSONBody.decode(PasswordChangeRequest.self, from: request)
        let account = try await store.account(login: principal.login)
        guard body.currentPassword.utf8.count <= 256,
            try await checkPassword(
                body.currentPassword, of: principal.login, stored: account?.passwordHash,
                address: context.clientAddress, now: Date())
        else {
            throw ServerError(.forbidden, "bad_credentials", "当前密码不正确")
        }
        if let violation = Self.violation(new: body.newPassword, current: body.currentPassword) {
            throw ServerError.rule(violation)
        }
        let current = BearerToken.extract(fromAuthorization: request.headers[.authorization]).map(BearerToken.hash)
        try await store.setPassword(
            accountId: principal.accountId, hash: try await checks.hash(body.newPassword),
            keepingSession: current)
        return try JSONBody.response(["status": "ok"], for: request)
    }

    /// Outside the async function: a typed `catch` there crashes Swift 6.3.1's SILGen.
    private static func violation(new: String, current: String) -> RuleViolation? {
        do { try PasswordRules.validate(new: new, current: current) } catch { return error }
        return nil
    }

    /// One attempt: reserved (back-off checked and the attempt counted, in one transaction)
    /// before scrypt runs, taken back if the password was right or the check never ran.
    private func checkPassword(_ password: String, of login: String, stored: String?, address: String, now: Date)
        async throws -> Bool
    {
        if case .wait(let seconds) = try await store.reserveLoginAttempt(
            login: login, address: address, throttle: throttle, now: now)
        {
            throw ServerError.loginBackoff(seconds: seconds)
        }
        let right: Bool
        do {
            right = try await checks.verify(password, against: stored ?? checks.dummyHash) && stored != nil
        } catch {
            try await store.releaseLoginAttempt(login: login, address: address, succeeded: false, throttle: throttle)
            throw error
        }
        if right {
            try await store.releaseLoginAttempt(login: login, address: address, succeeded: true, throttle: throttle)
        }
        return right
    }
}

import Foundation
import Hummingbird
import MutualAidDomain
import SyncProtocol

/// Public routes by which people go live on their own: POST /v1/auth/activate/start|complete
/// (激活会员身份) and /v1/auth/reset/start|complete (a forgotten password), both by SMS code.
struct AccountRoutes {
    let store: any CaseStore
    let checks: PasswordChecks
    let policy: VerificationPolicy
    let sms: any SMSGateway
    let tokenLifetime: TimeInterval

    func addPublic(to group: RouterGroup<AppRequestContext>) {
        group.post("auth/activate/start") { request, context in try await startActivation(request, context) }
        group.post("auth/activate/complete") { request, context in try await completeActivation(request, context) }
        group.post("auth/reset/start") { request, context in try await startReset(request, context) }
        group.post("auth/reset/complete") { request, context in try await completeReset(request, context) }
    }

    private func startActivation(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(ActivationStartRequest.self, from: request)
        let idNumber = LoginName.normalized(body.idNumber)
        let name = body.name.trimmingCharacters(in: .whitespaces)
        let mobile = body.mobile.trimmingCharacters(in: .whitespaces)
        if let violation = AccountInputs.activationViolation(idNumber: idNumber, name: name, mobile: mobile) {
            throw ServerError.rule(violation)
        }
        let outcome = try await store.requestActivationCode(
            idNumber: idNumber, name: name, mobile: mobile, address: context.clientAddress, policy: policy, sms: sms,
            now: Date())
        switch outcome {
        case .sent(let masked):
            return try JSONBody.response(
                CodeSentResponse(
                    mobile: masked, expiresInSeconds: Int(policy.validity),
                    message: "验证码已发送至 \(masked)，\(Int(policy.validity / 60))分钟内有效。"), for: request)
        case .mismatch: throw ServerError.activationMismatch
        case .alreadyActivated: throw ServerError.alreadyActivated
        case .wait(let seconds): throw ServerError.codeRateLimited(seconds: seconds)
        case .silent: throw ServerError.activationMismatch
        }
    }

    private func completeActivation(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(ActivationCompleteRequest.self, from: request)
        let idNumber = LoginName.normalized(body.idNumber)
        let code = try AccountInputs.code(body.code)
        try AccountInputs.checkNewPassword(body.password, clientId: body.clientId)
        let now = Date()
        let outcome = try await store.checkActivationCode(idNumber: idNumber, code: code, policy: policy, now: now)
        guard case .valid(let memberId, let codeHash) = outcome else { throw ServerError.code(outcome) }
        let token = BearerToken.make()
        let session = NewSession(
            tokenHash: BearerToken.hash(token), expiresAt: now.addingTimeInterval(tokenLifetime),
            clientId: body.clientId, address: context.clientAddress)
        guard
            let accountId = try await store.activate(
                memberId: memberId, codeHash: codeHash, passwordHash: try await checks.hash(body.password),
                session: session, now: now),
            let info = try await store.accountInfo(accountId: accountId)
        else { throw ServerError.code(.missing) }
        return try JSONBody.response(
            LoginResponse(
                token: token, expiresAt: Timestamp.format(session.expiresAt), account: info, mustChangePassword: false),
            for: request)
    }

    /// The same answer whether or not the login exists or has a mobile.
    private func startReset(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(ResetStartRequest.self, from: request)
        let login = try AccountInputs.login(body.login)
        let outcome = try await store.requestPasswordReset(
            login: login, address: context.clientAddress, policy: policy, sms: sms, now: Date())
        if case .wait(let seconds) = outcome { throw ServerError.codeRateLimited(seconds: seconds) }
        return try JSONBody.response(
            CodeSentResponse(
                mobile: nil, expiresInSeconds: Int(policy.validity),
                message: "如该账号存在并登记了手机号，验证码已发送至该手机号，\(Int(policy.validity / 60))分钟内有效。"),
            for: request)
    }

    private func completeReset(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(ResetCompleteRequest.self, from: request)
        let login = try AccountInputs.login(body.login)
        let code = try AccountInputs.code(body.code)
        try AccountInputs.checkNewPassword(body.password, clientId: nil)
        let outcome = try await store.checkResetCode(login: login, code: code, policy: policy, now: Date())
        guard case .valid(let accountId, let codeHash) = outcome else { throw ServerError.code(outcome) }
        guard
            try await store.resetPassword(
                accountId: accountId, codeHash: codeHash, passwordHash: try await checks.hash(body.password))
        else { throw ServerError.code(.missing) }
        return try JSONBody.response(["status": "ok"], for: request)
    }
}

/// Checks of the typed fields, outside the async handlers: a typed `catch` there crashes Swift
/// 6.3.1's SILGen.
enum AccountInputs {
    static func activationViolation(idNumber: String, name: String, mobile: String) -> RuleViolation? {
        do {
            try ResidentID.validate(idNumber)
            try ContactRules.validateMobile(mobile)
        } catch { return error }
        guard !name.isEmpty, name.count <= 50 else {
            return RuleViolation(field: "name", message: "请填写参保登记上的姓名")
        }
        return nil
    }

    static func code(_ typed: String) throws -> String {
        guard let code = VerificationPolicy.normalizedCode(typed) else {
            throw ServerError.rule(RuleViolation(field: "code", message: "验证码应为短信中的6位数字"))
        }
        return code
    }

    static func login(_ typed: String) throws -> String {
        let login = LoginName.normalized(typed)
        guard !login.isEmpty, login.utf8.count <= 64 else {
            throw ServerError.rule(RuleViolation(field: "login", message: "请填写登录账号（会员为身份证号码或手机号）"))
        }
        return login
    }

    static func checkNewPassword(_ password: String, clientId: String?) throws {
        if let violation = passwordViolation(password) { throw ServerError.rule(violation) }
        if let clientId, clientId.isEmpty || clientId.utf8.count > ChangeRules.maxClientIdBytes {
            throw ServerError.rule(RuleViolation(field: "clientId", message: "客户端编号无效"))
        }
    }

    private static func passwordViolation(_ password: String) -> RuleViolation? {
        guard password.utf8.count <= 256 else { return RuleViolation(field: "password", message: "密码过长（最多256字节）") }
        do { try PasswordRules.validate(new: password, current: "") } catch { return error }
        return nil
    }
}

extension ServerError {
    static let activationMismatch = ServerError(
        .unprocessableContent, "activation_mismatch",
        "身份证号码、姓名或手机号码与参保登记不一致，请核对后重试。如手机号已更换，请联系所在单位经办人更新参保登记中的手机号。")
    static let alreadyActivated = ServerError(
        .conflict, "already_activated",
        "该身份证号码已激活，请直接登录（member-cli login 身份证号码）；忘记密码请运行 member-cli reset-password --login 身份证号码")

    static func codeRateLimited(seconds: Int) -> ServerError {
        var error = ServerError(
            .tooManyRequests, "code_rate_limited",
            "获取验证码过于频繁，请 \(VerificationPolicy.waitText(seconds: seconds))后再试")
        error.headers[.retryAfter] = String(seconds)
        return error
    }

    /// A typed code that did not do: what to do next.
    static func code(_ outcome: CodeUseOutcome) -> ServerError {
        switch outcome {
        case .valid, .missing:
            ServerError(
                .unprocessableContent, "code_missing",
                "没有有效的验证码，请先获取验证码；如已激活，请直接登录或用 member-cli reset-password 找回密码")
        case .wrong(let remaining) where remaining > 0:
            ServerError(.unprocessableContent, "code_wrong", "验证码不正确，还可再试 \(remaining) 次")
        case .wrong:
            ServerError(.unprocessableContent, "code_wrong", "验证码不正确，错误次数过多，该验证码已失效，请重新获取验证码")
        case .expired:
            ServerError(.unprocessableContent, "code_expired", "验证码已过期（5分钟内有效），请重新获取验证码")
        case .alreadyActivated: alreadyActivated
        }
    }
}

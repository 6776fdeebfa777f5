import Foundation
import Hummingbird
import MutualAidDomain
import SyncProtocol

/// GET /v1/auth/sessions, DELETE /v1/auth/sessions/{id}: an account's own devices.
/// POST /v1/accounts/reset: agents and the office give an account of their subtree a one-time
/// password by SMS.
struct SessionRoutes {
    let store: any CaseStore
    let checks: PasswordChecks
    let sms: any SMSGateway

    func addAuthenticated(to group: RouterGroup<AppRequestContext>) {
        group.get("auth/sessions") { request, context in
            let principal = try context.requirePrincipal()
            let current = BearerToken.extract(fromAuthorization: request.headers[.authorization]).map(BearerToken.hash)
            let sessions = try await store.sessions(
                accountId: principal.accountId, currentTokenHash: current, now: Date())
            return try JSONBody.response(SessionsResponse(sessions: sessions), for: request)
        }
        group.delete("auth/sessions/:id") { request, context in
            let principal = try context.requirePrincipal()
            guard let id = context.parameters.get("id"), id.utf8.count <= 64,
                try await store.revokeSession(accountId: principal.accountId, id: id)
            else {
                throw ServerError(.notFound, "session_not_found", "没有该登录设备，请用 member-cli sessions 查看设备编号")
            }
            return try JSONBody.response(["status": "ok"], for: request)
        }
        group.post("accounts/reset") { request, context in try await staffReset(request, context) }
    }

    private func staffReset(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.role == .agent || principal.role == .office else {
            throw ServerError(.forbidden, "forbidden", "只有代办机构和办事处的工作人员可以重置他人的密码")
        }
        let body = try await JSONBody.decode(StaffResetRequest.self, from: request)
        let login = try AccountInputs.login(body.login)
        let password = OneTimePassword.make()
        let outcome = try await store.staffReset(
            login: login, by: principal, oneTimePassword: password, hash: try await checks.hash(password), sms: sms,
            now: Date())
        switch outcome {
        case .done(let mobile):
            return try JSONBody.response(StaffResetResponse(login: login, mobile: mobile), for: request)
        case .notFound:
            throw ServerError(.notFound, "account_not_found", "本机构及下级机构中没有该账号（重置自己的密码请用 member-cli password）")
        case .refused(let violation):
            throw ServerError(.forbidden, "forbidden", violation.message)
        case .noMobile:
            throw ServerError(.unprocessableContent, "no_mobile", "该账号没有登记手机号，无法发送临时密码；请先为其登记手机号")
        }
    }
}

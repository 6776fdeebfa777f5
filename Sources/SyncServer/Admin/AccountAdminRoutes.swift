import Foundation
import Hummingbird
import MutualAidDomain
import SyncProtocol

/// 权限管理 for agencies and the office, each over its own subtree:
/// GET/POST /v1/accounts, PATCH /v1/accounts/{login}, GET /v1/accounts/audit, GET /v1/orgs.
/// (POST /v1/accounts/reset lives with the sessions: `SessionRoutes`.)
struct AccountAdminRoutes {
    let store: any CaseStore
    let checks: PasswordChecks
    let sms: any SMSGateway

    func addAuthenticated(to group: RouterGroup<AppRequestContext>) {
        group.get("accounts") { request, context in
            let principal = try AdminInputs.administrator(context)
            let role = try AdminInputs.role(request.uri.queryParameters.get("role"))
            let accounts = try await store.staffAccounts(for: principal, role: role)
            return try JSONBody.response(AccountsResponse(accounts: accounts), for: request)
        }
        group.post("accounts") { request, context in try await add(request, context) }
        group.patch("accounts/:login") { request, context in try await change(request, context) }
        group.get("accounts/audit") { request, context in
            let principal = try AdminInputs.administrator(context)
            let target = request.uri.queryParameters.get("login").map(LoginName.normalized)
            let entries = try await store.accountAudit(for: principal, target: target, limit: 500)
            return try JSONBody.response(AccountAuditResponse(entries: entries), for: request)
        }
        group.get("orgs") { request, context in
            let principal = try AdminInputs.administrator(context)
            return try JSONBody.response(OrgsResponse(orgs: try await store.orgs(for: principal)), for: request)
        }
        group.post("orgs") { request, context in
            let principal = try AdminInputs.administrator(context)
            var body = try await JSONBody.decode(NewOrgRequest.self, from: request)
            body.name = body.name.trimmingCharacters(in: .whitespaces)
            try AdminInputs.checkOrgName(body.name)
            if let code = body.code, code.isEmpty || code.count > 40 {
                throw ServerError.rule(RuleViolation(field: "code", message: "机构代码不超过40个字符"))
            }
            return try AdminInputs.response(try await store.addAgency(body, by: principal, now: Date()), request)
        }
        group.patch("orgs/:id") { request, context in
            let principal = try AdminInputs.administrator(context)
            var body = try await JSONBody.decode(OrgChangeRequest.self, from: request)
            body.name = body.name?.trimmingCharacters(in: .whitespaces)
            if let name = body.name { try AdminInputs.checkOrgName(name) }
            guard body.name != nil || body.closed == true || body.parentId != nil else {
                throw ServerError.rule(RuleViolation(field: "change", message: "没有要修改的内容（更名、调整上级或撤销）"))
            }
            if let note = body.note, note.count > 200 {
                throw ServerError.rule(RuleViolation(field: "note", message: "说明不能超过200个字"))
            }
            let id = context.parameters.get("id") ?? ""
            return try AdminInputs.response(
                try await store.changeOrg(id: id, body, by: principal, now: Date()), request)
        }
    }

    private func add(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try AdminInputs.administrator(context)
        var body = try await JSONBody.decode(NewAccountRequest.self, from: request)
        body.login = body.login.trimmingCharacters(in: .whitespaces)
        body.name = body.name.trimmingCharacters(in: .whitespaces)
        body.mobile = body.mobile.trimmingCharacters(in: .whitespaces)
        try AdminInputs.check(body)
        let password = OneTimePassword.make()
        let outcome = try await store.addStaffAccount(
            body, by: principal, oneTimePassword: password, hash: try await checks.hash(password), sms: sms,
            now: Date())
        return try AdminInputs.response(outcome, login: body.login, request)
    }

    private func change(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try AdminInputs.administrator(context)
        let login = LoginName.normalized(context.parameters.get("login") ?? "")
        var body = try await JSONBody.decode(AccountChangeRequest.self, from: request)
        body.name = body.name?.trimmingCharacters(in: .whitespaces)
        body.mobile = body.mobile?.trimmingCharacters(in: .whitespaces)
        try AdminInputs.check(body)
        let outcome = try await store.changeAccount(login: login, body, by: principal, now: Date())
        return try AdminInputs.response(outcome, login: login, request)
    }
}

/// Checks of the typed fields, outside the async handlers (a typed `catch` there crashes the
/// compiler).
enum AdminInputs {
    static func administrator(_ context: AppRequestContext) throws -> Principal {
        let principal = try context.requirePrincipal()
        guard principal.role == .agent || principal.role == .office else {
            throw ServerError(.forbidden, "forbidden", "只有代办机构和办事处的工作人员可以管理账号和机构")
        }
        return principal
    }

    static func role(_ text: String?) throws -> Role? {
        guard let text else { return nil }
        guard let role = Role(rawValue: text) else {
            throw ServerError.rule(RuleViolation(field: "role", message: "角色应为 member、unit、agent、office 或 finance"))
        }
        return role
    }

    static func check(_ body: NewAccountRequest) throws {
        if let violation = AccountAdminRules.loginViolation(body.login) ?? AccountAdminRules.nameViolation(body.name)
            ?? mobileViolation(body.mobile)
        {
            throw ServerError.rule(violation)
        }
    }

    static func check(_ body: AccountChangeRequest) throws {
        if let name = body.name, let violation = AccountAdminRules.nameViolation(name) {
            throw ServerError.rule(violation)
        }
        if let mobile = body.mobile, let violation = mobileViolation(mobile) { throw ServerError.rule(violation) }
        if let org = body.orgId, org.isEmpty || org.utf8.count > 64 {
            throw ServerError.rule(RuleViolation(field: "org", message: "机构编号无效，请用 member-cli admin org list 查看"))
        }
        guard body.role != nil || body.orgId != nil || body.name != nil || body.mobile != nil || body.disabled != nil
        else {
            throw ServerError.rule(RuleViolation(field: "change", message: "没有要修改的内容"))
        }
    }

    private static func mobileViolation(_ mobile: String) -> RuleViolation? {
        do { try ContactRules.validateMobile(mobile) } catch { return error }
        return nil
    }

    static func checkOrgName(_ name: String) throws {
        guard !name.isEmpty, name.count <= 100 else {
            throw ServerError.rule(RuleViolation(field: "name", message: "请填写机构名称（不超过100个字）"))
        }
    }

    static func response(_ outcome: OrgAdminOutcome, _ request: Request) throws -> Response {
        switch outcome {
        case .done(let org): return try JSONBody.response(org, for: request)
        case .refused(let violation) where violation.field == "actor":
            throw ServerError(.forbidden, "forbidden", violation.message)
        case .refused(let violation): throw ServerError.rule(violation)
        case .notFound:
            throw ServerError(.notFound, "org_not_found", "本机构及下级机构中没有该机构，请用 member-cli admin org list 查看")
        }
    }

    static func response(_ outcome: AccountAdminOutcome, login: String, _ request: Request) throws -> Response {
        switch outcome {
        case .done(let account): return try JSONBody.response(account, for: request)
        // An organisation that does not fit is a mistake in the request; a role or an account
        // beyond the caller's reach is a refusal.
        case .refused(let violation) where violation.field == "org": throw ServerError.rule(violation)
        case .refused(let violation): throw ServerError(.forbidden, "forbidden", violation.message)
        case .notFound: throw ServerError(.notFound, "account_not_found", AccountAdminRules.notFound.message)
        case .loginTaken:
            throw ServerError(.conflict, "login_taken", "登录账号 \(login) 已被占用，请换一个")
        }
    }
}

import Foundation
import MutualAidDomain
import SyncProtocol

/// 权限管理 for agencies and the office: accounts and organisations of their subtree. Online
/// only — an account change must take effect at once, not at the next sync.
extension MemberClient {
    public func staffAccounts(role: Role? = nil) async throws -> [StaffAccount] {
        try await api().get(
            "/v1/accounts", query: role.map { [("role", $0.rawValue)] } ?? [], as: AccountsResponse.self
        )
        .accounts
    }

    /// A new staff account; its one-time password goes to `mobile` by SMS.
    public func addStaffAccount(_ request: NewAccountRequest) async throws -> StaffAccount {
        if let violation = AccountAdminRules.loginViolation(request.login)
            ?? AccountAdminRules.nameViolation(request.name)
        {
            throw ClientError.invalidInput(violation)
        }
        return try await api().post("/v1/accounts", request, as: StaffAccount.self)
    }

    public func changeAccount(login: String, _ change: AccountChangeRequest) async throws -> StaffAccount {
        try await api().patch("/v1/accounts/\(try Self.pathSegment(login))", change, as: StaffAccount.self)
    }

    public func accountAudit(login: String? = nil) async throws -> [AccountAuditEntry] {
        try await api().get(
            "/v1/accounts/audit", query: login.map { [("login", $0)] } ?? [], as: AccountAuditResponse.self
        ).entries
    }

    public func orgs() async throws -> [OrgEntry] {
        try await api().get("/v1/orgs", as: OrgsResponse.self).orgs
    }

    /// A new agency under `parentId` (a city under the office, a county under a city).
    public func addAgency(parentId: String, name: String, code: String?) async throws -> OrgEntry {
        try await api().post("/v1/orgs", NewOrgRequest(parentId: parentId, name: name, code: code), as: OrgEntry.self)
    }

    public func changeOrg(id: String, _ change: OrgChangeRequest) async throws -> OrgEntry {
        try await api().patch("/v1/orgs/\(try Self.pathSegment(id))", change, as: OrgEntry.self)
    }

    /// A login as one path segment: logins are letters, digits, "-" and "_" (or an ID number).
    static func pathSegment(_ login: String) throws -> String {
        let login = LoginName.normalized(login)
        guard !login.isEmpty, login.utf8.count <= 64,
            login.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw ClientError.invalidInput(
                RuleViolation(field: "login", message: "登录账号无效，请用 member-cli admin user list 查看"))
        }
        return login
    }
}

import MutualAidDomain

/// Staff administration of accounts and the organisation tree (权限管理).

/// One account as `GET /v1/accounts` lists it. The mobile is masked; nobody reads a colleague's
/// number off a list.
public struct StaffAccount: Codable, Sendable, Hashable {
    public var login: String
    public var role: Role
    public var name: String
    public var orgId: String
    public var orgName: String
    public var mobile: String?
    public var disabled: Bool
    public var createdAt: String
    public init(
        login: String, role: Role, name: String, orgId: String, orgName: String, mobile: String?, disabled: Bool,
        createdAt: String
    ) {
        self.login = login
        self.role = role
        self.name = name
        self.orgId = orgId
        self.orgName = orgName
        self.mobile = mobile
        self.disabled = disabled
        self.createdAt = createdAt
    }
}

public struct AccountsResponse: Codable, Sendable {
    public var accounts: [StaffAccount]
    public init(accounts: [StaffAccount]) { self.accounts = accounts }
}

/// `POST /v1/accounts`: a staff account; its one-time password goes to `mobile` by SMS.
public struct NewAccountRequest: Codable, Sendable {
    public var login: String
    public var role: Role
    public var orgId: String
    public var name: String
    public var mobile: String
    public init(login: String, role: Role, orgId: String, name: String, mobile: String) {
        self.login = login
        self.role = role
        self.orgId = orgId
        self.name = name
        self.mobile = mobile
    }
}

/// `PATCH /v1/accounts/{login}`: only the fields given change.
public struct AccountChangeRequest: Codable, Sendable {
    public var role: Role?
    public var orgId: String?
    public var name: String?
    public var mobile: String?
    public var disabled: Bool?
    public init(
        role: Role? = nil, orgId: String? = nil, name: String? = nil, mobile: String? = nil, disabled: Bool? = nil
    ) {
        self.role = role
        self.orgId = orgId
        self.name = name
        self.mobile = mobile
        self.disabled = disabled
    }
}

/// One change in the account audit trail.
public struct AccountAuditEntry: Codable, Sendable, Hashable {
    public var at: String
    public var actor: String
    public var action: AccountAuditAction
    public var target: String
    /// What changed, in Chinese, e.g. "角色：代办机构经办人 → 办事处审核人".
    public var detail: String
    public init(at: String, actor: String, action: AccountAuditAction, target: String, detail: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
    }
}

public struct AccountAuditResponse: Codable, Sendable {
    public var entries: [AccountAuditEntry]
    public init(entries: [AccountAuditEntry]) { self.entries = entries }
}

/// One organisation of the caller's subtree (`GET /v1/orgs`).
public struct OrgEntry: Codable, Sendable, Hashable {
    public var id: String
    public var parentId: String?
    public var level: OrgLevel
    public var code: String?
    public var name: String
    public var depth: Int
    public var closed: Bool
    public init(
        id: String, parentId: String?, level: OrgLevel, code: String?, name: String, depth: Int, closed: Bool = false
    ) {
        self.id = id
        self.parentId = parentId
        self.level = level
        self.code = code
        self.name = name
        self.depth = depth
        self.closed = closed
    }
}

public struct OrgsResponse: Codable, Sendable {
    public var orgs: [OrgEntry]
    public init(orgs: [OrgEntry]) { self.orgs = orgs }
}

/// `POST /v1/catalogue/standards/{id}/versions` (the office): a later rule of a claim standard.
public struct StandardVersionRequest: Codable, Sendable {
    /// YYYY-MM-DD: claims whose incident or admission falls on or after it use the new rule.
    public var effectiveFrom: String
    /// Basis points: 7500 = 75.00%.
    public var ratioBp: Int?
    public var amount: String?
    public var cap: String?
    public var waitingDays: Int?
    public var observationDays: Int?
    public var consolation: String?
    public init(
        effectiveFrom: String, ratioBp: Int?, amount: String?, cap: String?, waitingDays: Int? = nil,
        observationDays: Int? = nil, consolation: String? = nil
    ) {
        self.effectiveFrom = effectiveFrom
        self.ratioBp = ratioBp
        self.amount = amount
        self.cap = cap
        self.waitingDays = waitingDays
        self.observationDays = observationDays
        self.consolation = consolation
    }
}

public struct StandardVersionResponse: Codable, Sendable {
    public var id: String
    public var standardId: String
    public var effectiveFrom: String
    public init(id: String, standardId: String, effectiveFrom: String) {
        self.id = id
        self.standardId = standardId
        self.effectiveFrom = effectiveFrom
    }
}

/// `POST /v1/orgs`: a new agency (a city under the office, a county under a city).
public struct NewOrgRequest: Codable, Sendable {
    public var parentId: String
    public var name: String
    public var code: String?
    public init(parentId: String, name: String, code: String?) {
        self.parentId = parentId
        self.name = name
        self.code = code
    }
}

/// `PATCH /v1/orgs/{id}`: a new name, or closing the agency (with a note for the trail).
public struct OrgChangeRequest: Codable, Sendable {
    public var name: String?
    public var closed: Bool?
    public var note: String?
    /// Moves the node (and everything below it) under this organisation.
    public var parentId: String?
    public init(name: String? = nil, closed: Bool? = nil, note: String? = nil, parentId: String? = nil) {
        self.name = name
        self.closed = closed
        self.note = note
        self.parentId = parentId
    }
}

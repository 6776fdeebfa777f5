import MutualAidDomain

public struct LoginRequest: Codable, Sendable {
    public var login: String
    public var password: String
    /// The device's client id, shown in the account's session list; absent from older clients.
    public var clientId: String?
    public init(login: String, password: String, clientId: String? = nil) {
        self.login = login
        self.password = password
        self.clientId = clientId
    }
}

public struct AccountInfo: Codable, Hashable, Sendable {
    public var id: String
    public var login: String
    public var role: Role
    public var name: String
    public var orgId: String
    public var orgName: String
    public var level: OrgLevel
    /// Set for members: the member record their data hangs off.
    public var memberId: String?

    public init(
        id: String, login: String, role: Role, name: String, orgId: String, orgName: String,
        level: OrgLevel, memberId: String?
    ) {
        self.id = id
        self.login = login
        self.role = role
        self.name = name
        self.orgId = orgId
        self.orgName = orgName
        self.level = level
        self.memberId = memberId
    }
}

public struct LoginResponse: Codable, Sendable {
    public var token: String
    /// ISO 8601, UTC.
    public var expiresAt: String
    public var account: AccountInfo
    public var mustChangePassword: Bool

    public init(token: String, expiresAt: String, account: AccountInfo, mustChangePassword: Bool) {
        self.token = token
        self.expiresAt = expiresAt
        self.account = account
        self.mustChangePassword = mustChangePassword
    }
}

/// Readiness (`GET /v1/health`): "ok", or "unavailable" with 503 when the database does not answer.
public struct HealthResponse: Codable, Sendable {
    public var status: String
    /// "ok" or "unreachable"; absent from servers before readiness was reported.
    public var database: String?
    public var protocolVersion: Int
    public var oldestSupported: Int
    public init(
        status: String = "ok", database: String? = "ok", protocolVersion: Int = ProtocolVersion.current,
        oldestSupported: Int = ProtocolVersion.oldestSupported
    ) {
        self.status = status
        self.database = database
        self.protocolVersion = protocolVersion
        self.oldestSupported = oldestSupported
    }
}

/// Every error the server sends: `{"error":{"code":"…","message":"…"}}`, message in Chinese.
public struct APIErrorBody: Codable, Sendable {
    public struct Detail: Codable, Sendable {
        public var code: String
        public var message: String
    }
    public var error: Detail

    public init(code: String, message: String) { error = Detail(code: code, message: message) }
}

/// Activation (激活会员身份), password reset by SMS code, staff resets and the session list.

/// `POST /v1/auth/activate/start`: the three must match one insured person.
public struct ActivationStartRequest: Codable, Sendable {
    public var idNumber: String
    public var name: String
    public var mobile: String
    public init(idNumber: String, name: String, mobile: String) {
        self.idNumber = idNumber
        self.name = name
        self.mobile = mobile
    }
}

/// `POST /v1/auth/activate/complete`: the code from the SMS and the new password; answers a
/// `LoginResponse` (the member is logged in).
public struct ActivationCompleteRequest: Codable, Sendable {
    public var idNumber: String
    public var code: String
    public var password: String
    public var clientId: String?
    public init(idNumber: String, code: String, password: String, clientId: String? = nil) {
        self.idNumber = idNumber
        self.code = code
        self.password = password
        self.clientId = clientId
    }
}

/// The answer to a code request: where it went (masked) and for how long it is valid.
public struct CodeSentResponse: Codable, Sendable {
    public var status: String
    /// Masked (138****1001); absent where telling it would reveal whether an account exists.
    public var mobile: String?
    public var expiresInSeconds: Int
    public var message: String
    public init(status: String = "sent", mobile: String?, expiresInSeconds: Int, message: String) {
        self.status = status
        self.mobile = mobile
        self.expiresInSeconds = expiresInSeconds
        self.message = message
    }
}

/// `POST /v1/auth/reset/start`: a code to the account's mobile.
public struct ResetStartRequest: Codable, Sendable {
    public var login: String
    public init(login: String) { self.login = login }
}

/// `POST /v1/auth/reset/complete`: ends every session of the account.
public struct ResetCompleteRequest: Codable, Sendable {
    public var login: String
    public var code: String
    public var password: String
    public init(login: String, code: String, password: String) {
        self.login = login
        self.code = code
        self.password = password
    }
}

/// `POST /v1/accounts/reset` (agents and the office, their subtree): a one-time password by SMS.
public struct StaffResetRequest: Codable, Sendable {
    public var login: String
    public init(login: String) { self.login = login }
}

public struct StaffResetResponse: Codable, Sendable {
    public var status: String
    public var login: String
    /// Masked mobile the one-time password went to.
    public var mobile: String
    public init(status: String = "ok", login: String, mobile: String) {
        self.status = status
        self.login = login
        self.mobile = mobile
    }
}

/// One signed-in device of the account (`GET /v1/auth/sessions`).
public struct SessionInfo: Codable, Sendable, Hashable {
    public var id: String
    public var clientId: String?
    /// ISO 8601, UTC.
    public var firstSeen: String
    public var lastSeen: String
    public var address: String?
    public var current: Bool
    public init(
        id: String, clientId: String?, firstSeen: String, lastSeen: String, address: String?, current: Bool
    ) {
        self.id = id
        self.clientId = clientId
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.address = address
        self.current = current
    }

    /// Every key present, `null` where a session has no client id or address: scripts read
    /// `clientId` from each entry.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(clientId, forKey: .clientId)
        try c.encode(firstSeen, forKey: .firstSeen)
        try c.encode(lastSeen, forKey: .lastSeen)
        try c.encode(address, forKey: .address)
        try c.encode(current, forKey: .current)
    }
}

public struct SessionsResponse: Codable, Sendable {
    public var sessions: [SessionInfo]
    public init(sessions: [SessionInfo]) { self.sessions = sessions }
}

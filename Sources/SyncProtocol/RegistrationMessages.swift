import MutualAidDomain

/// `PUT /v1/registrations/{id}`: a unit's registration with its two certificate photos. The
/// client makes the id; sending the same id and form again is answered with the same outcome.
public struct RegistrationRequest: Codable, Sendable {
    public var form: UnitRegistrationForm
    /// Base64 JPEG of the unit certificate (单位证件照片).
    public var licence: String
    /// Base64 JPEG of the union legal-person certificate (工会法人证书照片).
    public var unionCertificate: String

    public init(form: UnitRegistrationForm, licence: String, unionCertificate: String) {
        self.form = form
        self.licence = licence
        self.unionCertificate = unionCertificate
    }

    /// Two photos of at most 2 MB as base64, and the form.
    public static let maxBodyBytes = 6 * 1024 * 1024
}

/// Where a registration stands; `login` is set once approved (the password goes by SMS).
public struct RegistrationStatus: Codable, Hashable, Sendable {
    public var id: String
    public var state: String
    public var note: String?
    public var unitId: String?
    public var login: String?

    public init(id: String, state: String, note: String?, unitId: String?, login: String?) {
        self.id = id
        self.state = state
        self.note = note
        self.unitId = unitId
        self.login = login
    }

    public static func chineseName(_ state: String) -> String {
        switch state {
        case "submitted": "待审核"
        case "approved": "已通过"
        case "rejected": "未通过"
        default: state
        }
    }
}

/// `POST /v1/auth/password`.
public struct PasswordChangeRequest: Codable, Sendable {
    public var currentPassword: String
    public var newPassword: String
    public init(currentPassword: String, newPassword: String) {
        self.currentPassword = currentPassword
        self.newPassword = newPassword
    }
}

import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol

/// Going live without an operator: activation (激活会员身份), a forgotten password, the account's
/// devices, and resets of other accounts by agents and the office. All need the server.
extension MemberClient {
    /// Asks for an activation code by SMS; ID number, name and mobile must match one insured person.
    public func requestActivationCode(idNumber: String, name: String, mobile: String) async throws -> CodeSentResponse {
        let idNumber = LoginName.normalized(idNumber)
        try AccountFields.check(idNumber: idNumber, mobile: mobile)
        return try await api(requireLogin: false).post(
            "/v1/auth/activate/start", ActivationStartRequest(idNumber: idNumber, name: name, mobile: mobile),
            as: CodeSentResponse.self)
    }

    /// Sets the password with the SMS code and logs in (the login is the ID number).
    public func activate(idNumber: String, code: String, password: String) async throws -> LoginResponse {
        let idNumber = LoginName.normalized(idNumber)
        try AccountFields.check(idNumber: idNumber, mobile: nil)
        try AccountFields.check(code: code, password: password)
        let clientId = try database.write { db in try LocalClock.clientId(db) }
        let response = try await api(requireLogin: false).post(
            "/v1/auth/activate/complete",
            ActivationCompleteRequest(idNumber: idNumber, code: code, password: password, clientId: clientId),
            as: LoginResponse.self)
        try remember(response)
        return response
    }

    /// Asks for a reset code to the account's mobile. The answer is the same whether or not the
    /// account exists.
    public func requestPasswordReset(login: String) async throws -> CodeSentResponse {
        try await api(requireLogin: false).post(
            "/v1/auth/reset/start", ResetStartRequest(login: LoginName.normalized(login)), as: CodeSentResponse.self)
    }

    /// Sets a new password with the SMS code; every session of the account ends (log in again).
    public func resetPassword(login: String, code: String, password: String) async throws {
        try AccountFields.check(code: code, password: password)
        _ = try await api(requireLogin: false).post(
            "/v1/auth/reset/complete",
            ResetCompleteRequest(login: LoginName.normalized(login), code: code, password: password),
            as: [String: String].self)
    }

    public func sessions() async throws -> [SessionInfo] {
        try await api().get("/v1/auth/sessions", as: SessionsResponse.self).sessions
    }

    public func revokeSession(id: String) async throws {
        guard !id.isEmpty, id.utf8.count <= 64,
            id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else {
            throw ClientError.invalidInput(RuleViolation(field: "id", message: "设备编号无效，请用 member-cli sessions 查看"))
        }
        _ = try await api().delete("/v1/auth/sessions/\(id)", as: [String: String].self)
    }

    /// Agents and the office: a one-time password by SMS for an account of their subtree.
    public func resetAccount(login: String) async throws -> StaffResetResponse {
        try await api().post(
            "/v1/accounts/reset", StaffResetRequest(login: LoginName.normalized(login)), as: StaffResetResponse.self)
    }
}

/// Checks made before asking the server, so a typo is answered offline and at once.
enum AccountFields {
    static func check(idNumber: String, mobile: String?) throws {
        if let violation = violation(idNumber: idNumber, mobile: mobile) { throw ClientError.invalidInput(violation) }
    }

    static func check(code: String, password: String) throws {
        guard VerificationPolicy.normalizedCode(code) != nil else {
            throw ClientError.invalidInput(RuleViolation(field: "code", message: "验证码应为短信中的6位数字"))
        }
        if let violation = passwordViolation(password) { throw ClientError.invalidInput(violation) }
    }

    private static func violation(idNumber: String, mobile: String?) -> RuleViolation? {
        do {
            try ResidentID.validate(idNumber)
            if let mobile { try ContactRules.validateMobile(mobile) }
        } catch { return error }
        return nil
    }

    private static func passwordViolation(_ password: String) -> RuleViolation? {
        do { try PasswordRules.validate(new: password, current: "") } catch { return error }
        return nil
    }
}

import Foundation
import MutualAidDomain
import SyncStorage

/// What came of a reset by staff.
public enum StaffResetOutcome: Sendable, Equatable {
    case done(mobile: String)
    /// No such account in the staff member's subtree (or it is their own: they use `password`).
    case notFound
    case noMobile
    /// In the subtree, but not the staff member's to manage (an agency and an office account).
    case refused(RuleViolation)
}

/// Password reset: by the person with an SMS code to the account's mobile, or by agents and the
/// office for accounts of their subtree with a one-time password. A reset ends every session.
extension SQLCaseStore {
    /// The account a login names: its login, or (for members, whose login is their ID number) the
    /// mobile of exactly one account. Also the mobile codes and one-time passwords go to.
    static func accountRow(_ db: any SQLConnection, login: String) throws -> SQLRow? {
        let select = """
            SELECT a.id, a.login, a.password_hash, a.must_change_password, a.org_id, a.role, a.disabled_at,
                   COALESCE(m.mobile, a.mobile) AS mobile
            FROM account a LEFT JOIN member m ON m.id = a.member_id
            """
        if let row = try db.fetchOne(sql: select + " WHERE a.login = ?", arguments: [login]) { return row }
        guard login.count == 11, login.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let rows = try db.fetchAll(
            sql: select + " WHERE COALESCE(m.mobile, a.mobile) = ? LIMIT 2", arguments: [login])
        return rows.count == 1 ? rows[0] : nil
    }

    public func requestPasswordReset(
        login: String, address: String, policy: VerificationPolicy, sms: any SMSGateway, now: Date
    ) async throws -> CodeRequestOutcome {
        try await database.write { db in
            let addressKey = VerificationCodes.key("address", address)
            // Keyed on the login as typed, so an unknown login is limited exactly like a known one.
            let personKey = VerificationCodes.key("reset", login)
            let decision = policy.decide(
                person: try VerificationCodes.counter(db, personKey), mobile: nil,
                address: try VerificationCodes.counter(db, addressKey), now: now)
            if case .wait(let s) = decision { return .wait(seconds: s) }
            try VerificationCodes.count(db, addressKey, policy: policy, now: now)
            try VerificationCodes.count(db, personKey, policy: policy, now: now)
            guard let account = try Self.accountRow(db, login: login), let mobile: String = try account["mobile"],
                (try account["disabled_at"] as String?) == nil
            else { return .silent }
            let mobileKey = VerificationCodes.key("mobile", mobile)
            if case .wait = policy.decide(
                person: nil, mobile: try VerificationCodes.counter(db, mobileKey), address: nil, now: now)
            {
                return .silent
            }
            try VerificationCodes.count(db, mobileKey, policy: policy, now: now)
            try VerificationCodes.issue(
                db, .reset, subject: try account["id"], mobile: mobile, policy: policy, sms: sms, now: now)
            return .sent(mobile: MobileMask.masked(mobile))
        }
    }

    public func checkResetCode(login: String, code: String, policy: VerificationPolicy, now: Date) async throws
        -> CodeUseOutcome
    {
        try await database.write { db in
            guard let account = try Self.accountRow(db, login: login) else { return .missing }
            return try Self.use(db, .reset, subject: try account["id"], code: code, policy: policy, now: now)
        }
    }

    /// Sets the new password with the code used up and ends every session; false when the code
    /// was used meanwhile.
    public func resetPassword(accountId: String, codeHash: String, passwordHash: String) async throws -> Bool {
        try await database.write { db in
            guard try VerificationCodes.consume(db, .reset, subject: accountId, hash: codeHash) else { return false }
            try Self.replacePassword(db, accountId: accountId, hash: passwordHash, mustChange: false)
            return true
        }
    }

    /// A one-time password for an account of the staff member's subtree, sent by SMS; the person
    /// must change it at the next login.
    public func staffReset(
        login: String, by principal: Principal, oneTimePassword: String, hash: String, sms: any SMSGateway, now: Date
    ) async throws -> StaffResetOutcome {
        try await database.write { db in
            guard let account = try Self.accountRow(db, login: login),
                let path = try db.fetchValue(
                    String.self, sql: "SELECT path FROM org WHERE id = ?", arguments: [try account["org_id"] as String])
            else { return .notFound }
            if let violation = AccountAdminRules.mayManage(
                Self.actor(principal), targetId: try account["id"],
                targetRole: Role(rawValue: try account["role"]) ?? .member, targetOrgPath: path)
            {
                return violation == AccountAdminRules.notFound ? .notFound : .refused(violation)
            }
            guard let mobile: String = try account["mobile"] else { return .noMobile }
            try Self.replacePassword(db, accountId: try account["id"], hash: hash, mustChange: true)
            let text = { (shown: String) in
                "【职工互助保障】您的账号密码已由工作人员重置，临时密码 \(shown)。请尽快登录并修改密码；如非本人申请，请联系所在单位或代办机构。"
            }
            try sms.send(to: mobile, text: text(oneTimePassword), redacted: text("******"), now: now, db)
            try AccountAudit.append(
                db, by: principal, .reset, target: try account["login"], orgPath: path,
                detail: "临时密码已发送至 \(MobileMask.masked(mobile))", now: now)
            return .done(mobile: MobileMask.masked(mobile))
        }
    }

    static func replacePassword(_ db: any SQLConnection, accountId: String, hash: String, mustChange: Bool) throws {
        try db.execute(
            sql: "UPDATE account SET password_hash = ?, must_change_password = ? WHERE id = ?",
            arguments: [hash, mustChange, accountId])
        try db.execute(sql: "DELETE FROM session WHERE account_id = ?", arguments: [accountId])
        try db.execute(
            sql: "DELETE FROM verification_code WHERE purpose = ? AND subject = ?",
            arguments: [VerificationPolicy.Purpose.reset.rawValue, accountId])
    }
}

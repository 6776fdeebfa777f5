import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// What came of an account change by staff.
public enum AccountAdminOutcome: Sendable, Equatable {
    case done(StaffAccount)
    case refused(RuleViolation)
    case notFound
    case loginTaken
}

/// Staff administration of accounts (权限管理): list, add, change role or organisation,
/// disable and enable, each change written with its audit row in one transaction. The rules of
/// who may do what are `AccountAdminRules`; here they are asked with what the store knows.
extension SQLCaseStore {
    static let staffAccountSelect = """
        SELECT a.id, a.login, a.role, a.name, a.org_id, o.name AS org_name, o.path AS org_path, o.level AS org_level,
               COALESCE(m.mobile, a.mobile) AS mobile, a.disabled_at, a.created_at
        FROM account a JOIN org o ON o.id = a.org_id LEFT JOIN member m ON m.id = a.member_id
        """

    static func staffAccount(_ row: SQLRow) throws -> StaffAccount {
        StaffAccount(
            login: try row["login"], role: Role(rawValue: try row["role"]) ?? .member, name: try row["name"],
            orgId: try row["org_id"], orgName: try row["org_name"],
            mobile: (try row["mobile"] as String?).map(MobileMask.masked),
            disabled: (try row["disabled_at"] as String?) != nil, createdAt: try row["created_at"])
    }

    /// Accounts of the principal's subtree, staff first by organisation; members only when asked.
    public func staffAccounts(for principal: Principal, role: Role?) async throws -> [StaffAccount] {
        try await database.read { db in
            var sql = Self.staffAccountSelect + " WHERE o.path >= ? AND o.path < ?"
            var arguments: [any SQLBindable] = [principal.orgPath, principal.orgPath + "\u{10FFFF}"]
            if let role {
                sql += " AND a.role = ?"
                arguments.append(role.rawValue)
            } else {
                sql += " AND a.role <> 'member'"
            }
            return try db.fetchAll(sql: sql + " ORDER BY o.path, a.role, a.login", arguments: SQLArguments(arguments))
                .map(Self.staffAccount)
        }
    }

    /// A new staff account with a one-time password sent by SMS; it must be changed at first login.
    public func addStaffAccount(
        _ request: NewAccountRequest, by principal: Principal, oneTimePassword: String, hash: String,
        sms: any SMSGateway, now: Date
    ) async throws -> AccountAdminOutcome {
        try await database.write { db in
            guard
                let org = try db.fetchOne(
                    sql: "SELECT path, level FROM org WHERE id = ?", arguments: [request.orgId]),
                let level = OrgLevel(rawValue: try org["level"])
            else { return .refused(RuleViolation(field: "org", message: "没有该机构，请用 member-cli admin org list 查看机构编号")) }
            let path: String = try org["path"]
            if let violation = AccountAdminRules.mayGrant(
                Self.actor(principal), role: request.role, orgLevel: level, orgPath: path)
            {
                return .refused(violation)
            }
            guard
                try db.fetchValue(Int.self, sql: "SELECT 1 FROM account WHERE login = ?", arguments: [request.login])
                    == nil
            else { return .loginTaken }
            let id = UUID().uuidString.lowercased()
            try db.execute(
                sql: """
                    INSERT INTO account (id, login, role, org_id, name, password_hash, must_change_password, created_at, mobile)
                    VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
                    """,
                arguments: [
                    id, request.login, request.role.rawValue, request.orgId, request.name, hash, Timestamp.format(now),
                    request.mobile,
                ])
            let text = { (shown: String) in
                "【职工互助保障】已为您开通\(request.role.chineseName)账号 \(request.login)，初始密码 \(shown)。请登录后立即修改密码。"
            }
            try sms.send(to: request.mobile, text: text(oneTimePassword), redacted: text("******"), now: now, db)
            try AccountAudit.append(
                db, by: principal, .added, target: request.login, orgPath: path,
                detail: "\(request.role.chineseName)，\(request.name)", now: now)
            return .done(try Self.staffAccount(try Self.loadStaffAccount(db, login: request.login)!))
        }
    }

    /// Applies the given fields of a change; disabling ends every session of the account.
    public func changeAccount(
        login: String, _ change: AccountChangeRequest, by principal: Principal, now: Date
    ) async throws -> AccountAdminOutcome {
        try await database.write { db in
            guard let row = try Self.loadStaffAccount(db, login: login) else { return .notFound }
            let current = try Self.staffAccount(row)
            let id: String = try row["id"]
            let actor = Self.actor(principal)
            if let violation = AccountAdminRules.mayManage(
                actor, targetId: id, targetRole: current.role, targetOrgPath: try row["org_path"])
            {
                return violation == AccountAdminRules.notFound ? .notFound : .refused(violation)
            }
            var role = current.role
            var orgId = current.orgId
            var orgPath: String = try row["org_path"]
            var orgLevel = OrgLevel(rawValue: try row["org_level"]) ?? .unit
            var orgName = current.orgName
            if let newOrg = change.orgId, newOrg != orgId {
                guard
                    let org = try db.fetchOne(
                        sql: "SELECT path, level, name FROM org WHERE id = ?", arguments: [newOrg])
                else {
                    return .refused(RuleViolation(field: "org", message: "没有该机构，请用 member-cli admin org list 查看机构编号"))
                }
                (orgId, orgPath, orgName) = (newOrg, try org["path"], try org["name"])
                orgLevel = OrgLevel(rawValue: try org["level"]) ?? .unit
            }
            if let newRole = change.role { role = newRole }
            if role != current.role || orgId != current.orgId {
                guard current.role != .member else {
                    return .refused(RuleViolation(field: "role", message: "会员账号跟随参保登记，不能变更角色或所属机构"))
                }
                if let violation = AccountAdminRules.mayGrant(actor, role: role, orgLevel: orgLevel, orgPath: orgPath) {
                    return .refused(violation)
                }
            }
            var entries: [(AccountAuditAction, String)] = []
            if role != current.role {
                entries.append((.roleChanged, "\(current.role.chineseName) → \(role.chineseName)"))
            }
            if orgId != current.orgId { entries.append((.orgChanged, "\(current.orgName) → \(orgName)")) }
            if let name = change.name, name != current.name { entries.append((.renamed, "\(current.name) → \(name)")) }
            if let mobile = change.mobile { entries.append((.mobileChanged, "→ \(MobileMask.masked(mobile))")) }
            if let disabled = change.disabled, disabled != current.disabled {
                entries.append(disabled ? (.disabled, "所有设备已退出登录") : (.enabled, ""))
            }
            try db.execute(
                sql: """
                    UPDATE account SET role = ?, org_id = ?, name = COALESCE(?, name), mobile = COALESCE(?, mobile),
                    disabled_at = CASE WHEN ? = 1 THEN COALESCE(disabled_at, ?) WHEN ? = 0 THEN NULL ELSE disabled_at END
                    WHERE id = ?
                    """,
                arguments: [
                    role.rawValue, orgId, change.name, change.mobile,
                    change.disabled.map { $0 ? 1 : 0 } ?? -1, Timestamp.format(now),
                    change.disabled.map { $0 ? 1 : 0 } ?? -1, id,
                ])
            // A disabled account, or one whose role or organisation changed, signs in afresh.
            if change.disabled == true || role != current.role || orgId != current.orgId {
                try db.execute(sql: "DELETE FROM session WHERE account_id = ?", arguments: [id])
            }
            for (action, detail) in entries {
                try AccountAudit.append(
                    db, by: principal, action, target: login, orgPath: orgPath, detail: detail, now: now)
            }
            return .done(try Self.staffAccount(try Self.loadStaffAccount(db, login: login)!))
        }
    }

    /// The audit trail of the principal's subtree, newest first, optionally of one login.
    public func accountAudit(for principal: Principal, target: String?, limit: Int) async throws
        -> [AccountAuditEntry]
    {
        try await database.read { db in
            var sql = "SELECT at, actor, action, target, detail FROM account_audit WHERE org_path >= ? AND org_path < ?"
            var arguments: [any SQLBindable] = [principal.orgPath, principal.orgPath + "\u{10FFFF}"]
            if let target {
                sql += " AND target = ?"
                arguments.append(target)
            }
            arguments.append(limit)
            return try db.fetchAll(sql: sql + " ORDER BY at DESC, id DESC LIMIT ?", arguments: SQLArguments(arguments))
                .map { row in
                    AccountAuditEntry(
                        at: try row["at"], actor: try row["actor"],
                        action: AccountAuditAction(rawValue: try row["action"]) ?? .renamed, target: try row["target"],
                        detail: try row["detail"])
                }
        }
    }

    /// The organisations of the principal's subtree, in tree order.
    public func orgs(for principal: Principal) async throws -> [OrgEntry] {
        try await database.read { db in
            try db.fetchValues(
                String.self, sql: "SELECT id FROM org WHERE path >= ? AND path < ? ORDER BY path",
                arguments: [principal.orgPath, principal.orgPath + "\u{10FFFF}"]
            ).map { try Self.orgEntry(db, id: $0, base: principal.orgPath) }
        }
    }

    static func loadStaffAccount(_ db: any SQLConnection, login: String) throws -> SQLRow? {
        try db.fetchOne(sql: staffAccountSelect + " WHERE a.login = ?", arguments: [login])
    }

    static func actor(_ principal: Principal) -> AccountAdminRules.Actor {
        AccountAdminRules.Actor(role: principal.role, accountId: principal.accountId, orgPath: principal.orgPath)
    }
}

/// The account audit trail: one row per change, in the change's transaction.
enum AccountAudit {
    static func append(
        _ db: any SQLConnection, by principal: Principal, _ action: AccountAuditAction, target: String,
        orgPath: String, detail: String, now: Date
    ) throws {
        try db.execute(
            sql:
                "INSERT INTO account_audit (id, at, actor, action, target, org_path, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                UUID().uuidString.lowercased(), Timestamp.format(now), principal.login, action.rawValue, target,
                orgPath,
                detail,
            ])
    }
}

import Foundation

/// Who may administer which accounts (权限管理). Pure: the server asks these rules with the
/// actor, the target and the organisations involved, and writes only what they allow.
///
/// Agencies and the office manage accounts in their own subtree; an agency manages units',
/// agencies' and members' accounts, the office every role. Nobody administers their own
/// account here (their password is changed with `password`), and a role sits on an
/// organisation of its level: unit clerks on a unit, agents on a city or county agency, the
/// office's reviewers and finance on the office. Member accounts come only from activation.
public enum AccountAdminRules {
    public struct Actor: Sendable {
        public var role: Role
        public var accountId: String
        public var orgPath: String
        public init(role: Role, accountId: String, orgPath: String) {
            self.role = role
            self.accountId = accountId
            self.orgPath = orgPath
        }
    }

    public static func mayAdminister(_ actor: Actor) -> Bool { actor.role == .agent || actor.role == .office }

    /// The roles an actor may give (to a new account or by a change).
    public static func grantable(by actor: Actor) -> [Role] {
        switch actor.role {
        case .office: [.unit, .agent, .office, .finance]
        case .agent: [.unit, .agent]
        default: []
        }
    }

    /// The organisation levels a role sits on.
    public static func levels(for role: Role) -> [OrgLevel] {
        switch role {
        case .member, .unit: [.unit]
        case .agent: [.city, .county]
        case .office, .finance: [.office]
        }
    }

    /// Whether the actor may act on an existing account (disable, reset, change).
    public static func mayManage(
        _ actor: Actor, targetId: String, targetRole: Role, targetOrgPath: String
    ) -> RuleViolation? {
        guard mayAdminister(actor) else { return notStaff }
        guard targetId != actor.accountId else {
            return RuleViolation(field: "login", message: "不能在这里管理自己的账号（修改自己的密码请用 member-cli password）")
        }
        guard targetOrgPath.hasPrefix(actor.orgPath) else { return notFound }
        guard targetRole == .member || grantable(by: actor).contains(targetRole) else {
            return RuleViolation(
                field: "role", message: "\(actor.role.chineseName)不能管理\(targetRole.chineseName)的账号，请联系办事处")
        }
        return nil
    }

    /// Whether `role` on an organisation of `level` at `orgPath` may be given by the actor.
    public static func mayGrant(_ actor: Actor, role: Role, orgLevel: OrgLevel, orgPath: String) -> RuleViolation? {
        guard mayAdminister(actor) else { return notStaff }
        guard orgPath.hasPrefix(actor.orgPath) else {
            return RuleViolation(field: "org", message: "该机构不在本机构及下级机构中，请用 member-cli admin org list 查看可选机构")
        }
        guard grantable(by: actor).contains(role) else {
            return RuleViolation(field: "role", message: "\(actor.role.chineseName)不能设立\(role.chineseName)账号，请联系办事处")
        }
        guard levels(for: role).contains(orgLevel) else {
            let names = levels(for: role).map(\.chineseName).joined(separator: "或")
            return RuleViolation(field: "org", message: "\(role.chineseName)账号应设在\(names)，所选机构是\(orgLevel.chineseName)")
        }
        return nil
    }

    /// A staff login: 3–32 letters, digits, "-" or "_", starting with a letter or digit. An
    /// 18-character ID number is a member's login and is not given to staff.
    public static func loginViolation(_ login: String) -> RuleViolation? {
        let allowed = login.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        guard (3...32).contains(login.count), allowed, login.first.map({ $0 != "-" && $0 != "_" }) == true else {
            return RuleViolation(field: "login", message: "登录账号应为3至32位字母、数字、“-”或“_”，以字母或数字开头")
        }
        if login.count == 18, (try? ResidentID.validate(login.uppercased())) != nil {
            return RuleViolation(field: "login", message: "身份证号码是会员的登录账号，工作人员账号请另取一个")
        }
        return nil
    }

    public static func nameViolation(_ name: String) -> RuleViolation? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 50 else {
            return RuleViolation(field: "name", message: "请填写姓名（不超过50个字）")
        }
        return nil
    }

    /// The level of a new agency under a parent: a city under the office, a county under a city.
    /// Units come from registration (注册审核), not from here.
    public static func childLevel(of parent: OrgLevel) -> OrgLevel? {
        switch parent {
        case .office: .city
        case .city: .county
        default: nil
        }
    }

    /// Whether the actor may add, rename or close organisation `path` (its own node excluded:
    /// an agency does not rename or close itself).
    public static func mayEditOrg(_ actor: Actor, path: String) -> RuleViolation? {
        guard mayAdminister(actor) else { return notStaff }
        guard path.hasPrefix(actor.orgPath), path != actor.orgPath else {
            return RuleViolation(field: "org", message: "只能管理本机构的下级机构，请用 member-cli admin org list 查看")
        }
        return nil
    }

    /// Whether the actor may put organisation `node` under `parent`: both in the actor's
    /// subtree, the node not the actor's own, a county under a city and a unit under an agency
    /// (so the tree keeps its levels), never under itself or a closed agency.
    public static func mayMoveOrg(
        _ actor: Actor, node: (level: OrgLevel, path: String), parent: (level: OrgLevel, path: String, closed: Bool)
    ) -> RuleViolation? {
        if let violation = mayEditOrg(actor, path: node.path) { return violation }
        guard parent.path.hasPrefix(actor.orgPath) else {
            return RuleViolation(field: "parent", message: "新的上级机构须在您的管辖范围内，请用 member-cli admin org list 查看")
        }
        let fits: Bool =
            switch node.level {
            case .county: parent.level == .city
            case .unit: parent.level == .city || parent.level == .county
            default: false
            }
        guard fits else {
            return RuleViolation(field: "parent", message: "只能把县级代办机构调到市级机构下、把参保单位调到代办机构下")
        }
        guard !parent.path.hasPrefix(node.path) else {
            return RuleViolation(field: "parent", message: "不能把机构调到它自己或它的下级机构下")
        }
        guard !parent.closed else { return RuleViolation(field: "parent", message: "新的上级机构已撤销，请选择其他机构") }
        return nil
    }

    static let notStaff = RuleViolation(field: "actor", message: "只有代办机构和办事处的工作人员可以管理账号")
    public static let notFound = RuleViolation(
        field: "login", message: "本机构及下级机构中没有该账号，请用 member-cli admin user list 查看")
}

/// What an audit entry records (its `action`), with the Chinese shown in lists.
public enum AccountAuditAction: String, Codable, Sendable, CaseIterable {
    case added = "add"
    case disabled = "disable"
    case enabled = "enable"
    case roleChanged = "role"
    case orgChanged = "org"
    case renamed = "name"
    case mobileChanged = "mobile"
    case reset = "reset"
    case orgAdded = "org-add"
    case orgRenamed = "org-rename"
    case orgClosed = "org-close"
    case orgMoved = "org-move"

    public var chineseName: String {
        switch self {
        case .added: "新增账号"
        case .disabled: "停用"
        case .enabled: "启用"
        case .roleChanged: "变更角色"
        case .orgChanged: "变更所属机构"
        case .renamed: "修改姓名"
        case .mobileChanged: "修改手机号"
        case .reset: "重置密码"
        case .orgAdded: "新增机构"
        case .orgRenamed: "机构更名"
        case .orgMoved: "调整上级机构"
        case .orgClosed: "撤销机构"
        }
    }
}

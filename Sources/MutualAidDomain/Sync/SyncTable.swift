/// What kind of value a synced field holds; pushes are checked against it on both sides.
public enum FieldKind: Hashable, Sendable {
    case text(maxLength: Int)
    case integer
    case money
    case date
    case mobile
    case bankAccount
    case bankName
    /// JSON text the rules of its table interpret (lists of ids, items).
    case json
    /// A resident ID number, kept with an upper-case X on both sides.
    case idNumber
}

/// Who may read a field of a record they may see.
public enum FieldAudience: Hashable, Sendable {
    /// Everyone who sees the record.
    case all
    /// Staff only (unit clerks, agencies, the office, finance): who holds a case, the
    /// restricted-list flag. Members never receive it; their feed and checksum leave it out.
    case staff
}

public enum FieldOwner: Hashable, Sendable {
    /// The client may change it; last writer (by clock) wins.
    case client
    /// Only the server writes it: workflow state, review results, issued numbers.
    case server
}

public struct SyncField: Hashable, Sendable {
    public let name: String
    public let kind: FieldKind
    public let owner: FieldOwner
    /// Personal data: encrypted at rest in the client store.
    public let sensitive: Bool
    /// Whether a push may clear it (null).
    public let nullable: Bool
    public let audience: FieldAudience

    public init(
        _ name: String, _ kind: FieldKind, _ owner: FieldOwner, sensitive: Bool = false, nullable: Bool = true,
        audience: FieldAudience = .all
    ) {
        self.name = name
        self.kind = kind
        self.owner = owner
        self.sensitive = sensitive
        self.nullable = nullable
        self.audience = audience
        self.column = name.reduce(into: "") { out, c in
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
    }

    /// SQL column: the field name in snake case, the same on both sides. Worked out once: every
    /// row read and written maps each field through it (it was 3 % of an edit's time).
    public let column: String
}

/// Who may pull a table's records.
public enum Audience: Hashable, Sendable {
    /// Records of one member: that member, and staff over the member's unit once the record
    /// is no longer a private draft.
    case memberRecords
    /// Only the member (the profile).
    case memberOnly
    /// Catalogue data everyone may read.
    case everyone
    /// Pushed by clients and never pulled (staff actions).
    case writeOnly
    /// Records addressed to one recipient (messages): a member (`member_id`), or the accounts
    /// of exactly one organisation (a unit's clerks: no member id, `org_path` = the unit's).
    /// Nobody else receives them — neither staff over the member's unit nor agencies above.
    case addressed
}

/// A synced table: its fields, who owns each, and who sees it.
public struct SyncTable: Hashable, Sendable {
    public let name: String
    public let fields: [SyncField]
    public let audience: Audience
    /// Whether a client may create records (claim drafts) and delete them.
    public let clientCreates: Bool

    public init(name: String, fields: [SyncField], audience: Audience, clientCreates: Bool = false) {
        self.name = name
        self.fields = fields
        self.audience = audience
        self.clientCreates = clientCreates
        clientFields = Set(fields.filter { $0.owner == .client }.map(\.name))
        serverFields = Set(fields.filter { $0.owner == .server }.map(\.name))
        sensitiveFields = Set(fields.filter(\.sensitive).map(\.name))
        byName = Dictionary(fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // Derived once per table: they are asked for on every record read, written and merged.
    public let clientFields: Set<String>
    public let serverFields: Set<String>
    public let sensitiveFields: Set<String>
    private let byName: [String: SyncField]

    /// A table is its name: the specs are static, one per name.
    public static func == (a: SyncTable, b: SyncTable) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    public var memberOnly: Bool { audience == .memberOnly }
    /// Fields only staff receive (see `FieldAudience`).
    public var staffFields: [String] { fields.filter { $0.audience == .staff }.map(\.name) }

    public func field(_ name: String) -> SyncField? { byName[name] }

    public static let all: [SyncTable] =
        [
            .profile, .enrolment, .claimStandard, .materialItem, .claim, .claimMaterial,
            .claimTrail, .settlementSheet, .benefitLine, .caseAction,
        ] + enrolmentTables + catalogueTables + [.message]

    /// Looked up for every pulled and pushed change: a dictionary, not a scan of `all`.
    private static let allByName = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    public static func named(_ name: String) -> SyncTable? { allByName[name] }
}

/// Field checks, run by the client as the user types and by the server on push.
public enum FieldRules {
    public static let maxJSONBytes = 8_000

    /// Values in the one form every store keeps (ID numbers with an upper-case X), applied by
    /// the client before it records an edit and by the server before it merges a push.
    public static func normalized(table: SyncTable, _ fields: FieldMap) -> FieldMap {
        var result = fields
        for (name, value) in fields {
            if table.field(name)?.kind == .idNumber, case .string(let s) = value {
                result[name] = .string(s.uppercased())
            }
        }
        return result
    }

    public static func validate(table: SyncTable, field name: String, value: FieldValue) throws(RuleViolation) {
        guard let field = table.field(name) else {
            throw RuleViolation(field: name, message: "未知字段：\(name.prefix(40))")
        }
        if value == .null {
            guard field.nullable else { throw RuleViolation(field: name, message: "字段 \(name) 不能为空") }
            return
        }
        switch (field.kind, value) {
        case (.integer, .int): return
        case (.text(let max), .string(let s)):
            guard TextLimit.fits(s, characters: max) else {
                throw RuleViolation(field: name, message: "\(name) 不能超过 \(max) 个字（\(max * 3) 字节）")
            }
        case (.json, .string(let s)):
            guard s.utf8.count <= maxJSONBytes else { throw RuleViolation(field: name, message: "\(name) 内容过长") }
        case (.money, .string(let s)):
            guard Money(s) != nil else { throw RuleViolation(field: name, message: "金额格式应为最多两位小数的数字") }
        case (.date, .string(let s)):
            guard CalendarDate(s) != nil else { throw RuleViolation(field: name, message: "日期格式应为 YYYY-MM-DD，且须是真实日期") }
        case (.idNumber, .string(let s)):
            guard s.utf8.count <= 18, s.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 88 || $0 == 120 }) else {
                throw RuleViolation(field: name, message: "身份证号码只能包含数字，最后一位可以是X")
            }
        case (.mobile, .string(let s)): try ContactRules.validateMobile(s, field: name)
        case (.bankAccount, .string(let s)): try ContactRules.validateBankAccount(s, field: name)
        case (.bankName, .string(let s)): try ContactRules.validateBankName(s, field: name)
        default:
            throw RuleViolation(field: name, message: "字段 \(name) 的类型不正确")
        }
    }
}

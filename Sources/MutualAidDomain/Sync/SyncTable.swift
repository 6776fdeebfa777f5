/// What syncs, and who owns which field. The server refuses a push that touches a field it
/// owns; the client never edits those fields locally.
public struct SyncTable: Hashable, Sendable {
    public let name: String
    /// Fields the client may change; last writer (by clock) wins per field.
    public let clientFields: Set<String>
    /// Fields only the server writes: workflow state, review results, issued numbers.
    public let serverFields: Set<String>
    /// Records only the member they belong to may pull (staff see them through cases).
    public let memberOnly: Bool
    /// Field name → SQL column, the same on both sides.
    public let columns: [String: String]

    public var allFields: Set<String> { clientFields.union(serverFields) }

    public static let profile = SyncTable(
        name: "profile",
        clientFields: ["mobile", "bankAccount", "bankName"],
        serverFields: ["name"],
        memberOnly: true,
        columns: ["name": "name", "mobile": "mobile", "bankAccount": "bank_account", "bankName": "bank_name"]
    )

    public static let all: [SyncTable] = [.profile]

    public static func named(_ name: String) -> SyncTable? { all.first { $0.name == name } }
}

/// Field checks per table, run by the client as the user types and by the server on push.
public enum FieldRules {
    public static func validate(table: SyncTable, field: String, value: FieldValue) throws(RuleViolation) {
        switch (table.name, field) {
        case ("profile", "mobile"):
            guard case .string(let s) = value else { throw typeError(field) }
            try ContactRules.validateMobile(s)
        case ("profile", "bankAccount"):
            guard case .string(let s) = value else { throw typeError(field) }
            try ContactRules.validateBankAccount(s)
        case ("profile", "bankName"):
            guard case .string(let s) = value else { throw typeError(field) }
            try ContactRules.validateBankName(s)
        default:
            break
        }
    }

    static func typeError(_ field: String) -> RuleViolation {
        RuleViolation(field: field, message: "字段 \(field) 的类型不正确")
    }
}

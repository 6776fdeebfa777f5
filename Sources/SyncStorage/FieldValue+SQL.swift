import MutualAidDomain

/// How synced field values are stored, the same on the client replica and in the server's
/// case store (money and dates are text; no value passes through a Double).
extension FieldValue {
    public init(_ value: SQLValue) {
        switch value {
        case .null, .blob, .textArray: self = .null
        case .integer(let i): self = .int(i)
        case .real(let d): self = .string(String(d))
        case .text(let s): self = .string(s)
        }
    }

    public var sqlValue: SQLValue {
        switch self {
        case .string(let s): .text(s)
        case .int(let i): .integer(i)
        case .bool(let b): .integer(b ? 1 : 0)
        case .null: .null
        }
    }
}

import GRDB
import MutualAidDomain

/// How synced field values are stored in SQLite, the same on the client replica and in the
/// server's case store (money and dates are text; no value passes through a Double).
extension FieldValue {
    public init(_ value: DatabaseValue) {
        switch value.storage {
        case .null, .blob: self = .null
        case .int64(let i): self = .int(i)
        case .double(let d): self = .string(String(d))
        case .string(let s): self = .string(s)
        }
    }

    public var databaseValue: (any DatabaseValueConvertible)? {
        switch self {
        case .string(let s): s
        case .int(let i): i
        case .bool(let b): b ? 1 : 0
        case .null: nil
        }
    }
}

import MutualAidDomain
import SyncProtocol

/// How a store declares the column of each field kind: the one mapping the schema check holds
/// every migration to.
public enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// No default: a new field kind must be given its column type here before anything builds.
    public func columnType(_ kind: FieldKind) -> String {
        switch self {
        case .sqlite:
            switch kind {
            case .integer: "INTEGER"
            // Money and dates are text: no value passes through a floating-point number.
            case .text, .money, .date, .mobile, .bankAccount, .bankName, .json, .idNumber: "TEXT"
            }
        case .postgres:
            switch kind {
            case .integer: "BIGINT"
            case .text, .money, .date, .mobile, .bankAccount, .bankName, .json, .idNumber: "TEXT"
            }
        }
    }

    /// Record ids are UUIDs (or member ids) in text.
    public var idType: String { "TEXT" }
    /// The field clocks as flat JSON (`FlatJSON`).
    public var clocksType: String { "TEXT" }
}

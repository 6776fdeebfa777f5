/// How a store keeps sensitive fields at rest. The client replica seals them with its device
/// key; the server store passes none and keeps them as they are.
public protocol FieldSealing: Sendable {
    func seal(text: String) throws -> String
    func open(text: String) throws -> String
}

/// A stored row the codec cannot read back. Raised rather than read around: a record whose
/// clocks are taken as empty loses every last-writer-wins comparison and the next save writes
/// the empty clocks back, so the damage would spread silently instead of stopping the one
/// transaction that met it. The description names the table and column only, never an id or
/// a value, since those can be member data.
public struct DamagedRow: Error, Equatable, CustomStringConvertible {
    public let table: String
    public let column: String

    public init(table: String, column: String) {
        self.table = table
        self.column = column
    }

    public var description: String {
        "数据表 \(table) 中有记录的 \(column) 列已损坏，无法读取；请从备份恢复数据库，或联系管理员检查该表"
    }
}

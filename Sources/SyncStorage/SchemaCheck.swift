import GRDB
import MutualAidDomain

/// Compares a migrated SQLite database with a `SyncTable`: every field needs its column with
/// the type `SQLDialect` gives its kind, and the row needs `id` (text primary key) and
/// `clocks` (text, not null). Migrations stay hand-written; this says where one was forgotten.
public enum SchemaCheck {
    public struct Mismatch: Hashable, Sendable, CustomStringConvertible {
        public let table: String
        public let column: String
        public let problem: String

        public init(table: String, column: String, problem: String) {
            self.table = table
            self.column = column
            self.problem = problem
        }

        public var description: String { "\(table).\(column): \(problem)" }
    }

    /// What is missing or differs in `sqlTable` (the table's own name unless a store keeps it
    /// elsewhere, like the server's profiles in `member`); empty when the schema fits.
    public static func mismatches(
        _ spec: SyncTable, in db: Database, sqlTable: String? = nil,
        dialect: SQLDialect = .sqlite
    ) throws -> [Mismatch] {
        let table = sqlTable ?? spec.name
        guard try db.tableExists(table) else { return [Mismatch(table: table, column: "*", problem: "table missing")] }
        let columns = Dictionary(
            try db.columns(in: table).map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        let primaryKey = try db.primaryKey(table).columns.map { $0.lowercased() }
        var found: [Mismatch] = []
        func expect(_ column: String, type: String, isKey: Bool = false, notNull: Bool = false) {
            guard let info = columns[column] else {
                found.append(Mismatch(table: table, column: column, problem: "missing"))
                return
            }
            if info.type.uppercased() != type {
                found.append(Mismatch(table: table, column: column, problem: "type \(info.type), expected \(type)"))
            }
            if isKey && primaryKey != [column] {
                found.append(Mismatch(table: table, column: column, problem: "not the primary key"))
            }
            if notNull && !info.isNotNull {
                found.append(Mismatch(table: table, column: column, problem: "nullable, expected NOT NULL"))
            }
        }
        expect("id", type: dialect.idType, isKey: true, notNull: true)
        for field in spec.fields { expect(field.column, type: dialect.columnType(field.kind)) }
        expect("clocks", type: dialect.clocksType, notNull: true)
        return found
    }
}

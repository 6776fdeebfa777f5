import MutualAidDomain

/// Compares a migrated store (SQLite or PostgreSQL) with a `SyncTable`: every field needs its column with
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
        _ spec: SyncTable, in db: any SQLConnection, sqlTable: String? = nil
    ) throws -> [Mismatch] {
        let table = sqlTable ?? spec.name
        let dialect = db.dialect
        let columns = try Self.columns(of: table, in: db)
        guard !columns.isEmpty else { return [Mismatch(table: table, column: "*", problem: "table missing")] }
        let primaryKey = columns.values.filter(\.isKey).map(\.name).sorted()
        var found: [Mismatch] = []
        func expect(_ column: String, type: String, isKey: Bool = false, notNull: Bool = false) {
            guard let info = columns[column] else {
                found.append(Mismatch(table: table, column: column, problem: "missing"))
                return
            }
            if info.type != type {
                found.append(Mismatch(table: table, column: column, problem: "type \(info.type), expected \(type)"))
            }
            if isKey && primaryKey != [column] {
                found.append(Mismatch(table: table, column: column, problem: "not the primary key"))
            }
            if notNull && !info.notNull {
                found.append(Mismatch(table: table, column: column, problem: "nullable, expected NOT NULL"))
            }
        }
        expect("id", type: dialect.idType, isKey: true, notNull: true)
        for field in spec.fields { expect(field.column, type: dialect.columnType(field.kind)) }
        expect("clocks", type: dialect.clocksType, notNull: true)
        return found
    }

    struct Column {
        var name: String
        /// Upper-cased declared type.
        var type: String
        var notNull: Bool
        var isKey: Bool
    }

    /// The columns of a table as the store describes them; empty when there is no such table.
    static func columns(of table: String, in db: any SQLConnection) throws -> [String: Column] {
        let rows: [Column]
        switch db.dialect {
        case .sqlite:
            rows = try db.fetchAll(
                sql: "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)", arguments: [table]
            )
            .map { row in
                try Column(
                    name: (row["name"] as String).lowercased(), type: (row["type"] as String).uppercased(),
                    notNull: row["notnull"], isKey: (row["pk"] as Int) > 0)
            }
        case .postgres:
            let keys = Set(
                try db.fetchValues(
                    String.self,
                    sql: """
                        SELECT k.column_name FROM information_schema.table_constraints c
                        JOIN information_schema.key_column_usage k
                          ON k.constraint_name = c.constraint_name AND k.table_name = c.table_name
                        WHERE c.table_name = ? AND c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema()
                        """, arguments: [table]))
            rows = try db.fetchAll(
                sql: """
                    SELECT column_name, upper(data_type) AS type, is_nullable FROM information_schema.columns
                    WHERE table_name = ? AND table_schema = current_schema()
                    """, arguments: [table]
            ).map { row in
                let name: String = try row["column_name"]
                return try Column(
                    name: name.lowercased(), type: row["type"], notNull: (row["is_nullable"] as String) == "NO",
                    isKey: keys.contains(name))
            }
        }
        return Dictionary(rows.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

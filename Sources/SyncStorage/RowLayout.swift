import MutualAidDomain

/// What a synced table's statements need, worked out once per table rather than once per
/// row: a pull or a checksum page runs thousands of rows through the same statements.
public struct RowLayout: Sendable {
    public let table: String
    public let fields: [SyncField]
    /// The row's id, its synced fields in `fields` order, then its clocks: the positions are
    /// known, so a loaded row needs no lookup of its columns by name.
    let selectSQL: String
    /// Where `selectSQL` puts each field.
    let selectedFieldColumns: [Int]
    let upsertSQL: String
    /// `insertNewSQL(rows:)` for `RowCodec.pulledRowsPerStatement` rows, made once.
    let insertPulledSQL: String
    /// "INSERT INTO table (id, …, clocks) VALUES " and one row's "(?, …, ?)".
    private let insertInto: String
    private let rowMarks: String
    let clocksSQL: String
    let deleteSQL: String

    init(_ spec: SyncTable) {
        table = spec.name
        fields = spec.fields
        let names = fields.map(\.column).joined(separator: ", ")
        selectSQL = "SELECT id, \(names), clocks FROM \(spec.name) WHERE id = ?"
        selectedFieldColumns = Array(fields.indices.map { $0 + 1 })
        let marks = Array(repeating: "?", count: fields.count).joined(separator: ", ")
        let updates = fields.map { "\($0.column) = excluded.\($0.column)" }.joined(separator: ", ")
        insertInto = "INSERT INTO \(spec.name) (id, \(names), clocks) VALUES "
        rowMarks = "(?, \(marks), ?)"
        upsertSQL = insertInto + rowMarks + " ON CONFLICT(id) DO UPDATE SET \(updates), clocks = excluded.clocks"
        insertPulledSQL = Self.insertNewSQL(insertInto, rowMarks, rows: RowCodec.pulledRowsPerStatement)
        clocksSQL = "SELECT clocks FROM \(spec.name) WHERE id = ?"
        deleteSQL = "DELETE FROM \(spec.name) WHERE id = ?"
    }

    /// Inserts `rows` rows, leaving any whose id exists as it is.
    func insertNewSQL(rows: Int) -> String { Self.insertNewSQL(insertInto, rowMarks, rows: rows) }

    private static func insertNewSQL(_ insertInto: String, _ rowMarks: String, rows: Int) -> String {
        insertInto + Array(repeating: rowMarks, count: rows).joined(separator: ", ") + " ON CONFLICT(id) DO NOTHING"
    }

    private static let known: [String: RowLayout] = Dictionary(
        SyncTable.all.map { ($0.name, RowLayout($0)) }, uniquingKeysWith: { first, _ in first })

    /// The cached layout of a table of `SyncTable.all`; a table built elsewhere (a test's) gets
    /// its own. The field lists of the shared tables are one array, so comparing them is cheap.
    static func of(_ spec: SyncTable) -> RowLayout {
        if let layout = known[spec.name], layout.fields == spec.fields { return layout }
        return RowLayout(spec)
    }
}

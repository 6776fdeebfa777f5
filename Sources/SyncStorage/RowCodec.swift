import MutualAidDomain
import SyncProtocol

/// One synced table in a SQL store, the same for the client replica and the server store: a row
/// per record keyed by `id`, one column per field (`SyncField.column`), and a `clocks` column
/// holding the field clocks as flat JSON. Sensitive fields pass through `sealing` when the
/// store has one (the client); the server passes none.
public struct RowCodec: Sendable {
    public let spec: SyncTable
    public let layout: RowLayout
    public let sealing: (any FieldSealing)?

    public init(_ spec: SyncTable, sealing: (any FieldSealing)? = nil) {
        self.spec = spec
        self.sealing = sealing
        layout = RowLayout.of(spec)
    }

    public var sqlTable: String { spec.name }

    // MARK: Reading

    public func load(_ db: any SQLConnection, id: String) throws -> VersionedRecord? {
        guard let row = try db.fetchOne(layout.selectSQL, [id]) else { return nil }
        let at = layout.selectedFieldColumns
        return VersionedRecord(fields: try fields(row, at: at), clocks: try clocks(row, at: at))
    }

    /// Some fields of a record, without its clocks: the other columns are neither read nor
    /// opened (a rule that needs two dates of a row does not pay for its sealed fields).
    public func load(_ db: any SQLConnection, id: String, only names: [String]) throws -> FieldMap? {
        let wanted = try names.map { name in
            guard let field = spec.field(name) else { throw SQLColumnError(column: name) }
            return field
        }
        let columns = wanted.map(\.column).joined(separator: ", ")
        guard let row = try db.fetchOne("SELECT \(columns) FROM \(sqlTable) WHERE id = ?", [id]) else { return nil }
        var map = FieldMap(minimumCapacity: wanted.count)
        for (i, field) in wanted.enumerated() { map[field.name] = try opened(field, row[i]) }
        return map
    }

    public func record(_ row: SQLRow) throws -> VersionedRecord {
        let at = try positions(row.columns)
        return VersionedRecord(fields: try fields(row, at: at), clocks: try clocks(row, at: at))
    }

    /// The synced fields of a row, sensitive ones opened; columns the table does not sync
    /// (server-only `member_id`, local-only `created_at`) are left out.
    public func fields(_ row: SQLRow) throws -> FieldMap {
        try fields(row, at: try positions(row.columns))
    }

    /// Where each synced field sits in a result's columns: worked out once per result, not
    /// once per field and row (a lookup by name per field was most of a record's read).
    func positions(_ columns: [String]) throws -> [Int] {
        let index = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return try layout.fields.map { field in
            guard let i = index[field.column] else { throw SQLColumnError(column: field.column) }
            return i
        }
    }

    func fields(_ row: SQLRow, at positions: [Int]) throws -> FieldMap {
        var map = FieldMap(minimumCapacity: layout.fields.count)
        for (field, i) in zip(layout.fields, positions) { map[field.name] = try opened(field, row[i]) }
        return map
    }

    /// A column's value as the field holds it: sensitive text opened when the store seals.
    func opened(_ field: SyncField, _ stored: SQLValue) throws -> FieldValue {
        let value = FieldValue(stored)
        if field.sensitive, let sealing, case .string(let s) = value { return .string(try sealing.open(text: s)) }
        return value
    }

    /// Rows of one result with their ids and fields, positions worked out from the first row.
    func records(_ rows: [SQLRow]) throws -> [(id: String, fields: FieldMap)] {
        guard let first = rows.first else { return [] }
        let at = try positions(first.columns)
        return try rows.map { (id: try $0["id"], fields: try fields($0, at: at)) }
    }

    /// The `clocks` column of a row of `table`; a missing or unreadable one is a `DamagedRow`.
    /// For the server's own statements (the profile lives in `member`): a server row never
    /// holds the client's short form, and one would read as damaged.
    public static func clocks(_ row: SQLRow, table: String) throws -> [String: String] {
        try decodeClocks(try clocksText(row, table: table), table: table)
    }

    /// The `clocks` column of a row whose field columns sit at `positions`; the short form
    /// (`ClocksColumn`) is read against them.
    func clocks(_ row: SQLRow, at positions: [Int]) throws -> [String: String] {
        let text = try Self.clocksText(row, table: sqlTable)
        guard let stamp = ClocksColumn.sharedStamp(text) else { return try Self.decodeClocks(text, table: sqlTable) }
        return ClocksColumn.expand(stamp, fields: layout.fields) { row[positions[$0]] != .null }
    }

    private static func clocksText(_ row: SQLRow, table: String) throws -> String {
        guard case .text(let text) = try? row.value("clocks") else { throw DamagedRow(table: table, column: "clocks") }
        return text
    }

    /// The clocks of a record without opening its fields; nil when there is no row. A short-form
    /// row is read again whole, for which of its columns hold values.
    public func loadClocks(_ db: any SQLConnection, id: String) throws -> [String: String]? {
        guard let row = try db.fetchOne(layout.clocksSQL, [id]) else { return nil }
        let text = try Self.clocksText(row, table: sqlTable)
        guard ClocksColumn.sharedStamp(text) != nil else { return try Self.decodeClocks(text, table: sqlTable) }
        guard let whole = try db.fetchOne(layout.selectSQL, [id]) else { return nil }
        return try clocks(whole, at: layout.selectedFieldColumns)
    }

    /// Rows matching `condition` (SQL over the table's columns, a fixed text: it keys the
    /// statement cache) in id order.
    public func all(_ db: any SQLConnection, where condition: String = "TRUE", arguments: SQLArguments = []) throws
        -> [(id: String, fields: FieldMap)]
    {
        try records(db.fetchAll("SELECT * FROM \(sqlTable) WHERE \(condition) ORDER BY id", arguments))
    }

    /// The same, `limit` rows at a time after the id `after`.
    public func page(
        _ db: any SQLConnection, where condition: String = "TRUE", arguments: SQLArguments = [],
        after: String, limit: Int
    ) throws -> [(id: String, fields: FieldMap)] {
        try records(
            db.fetchAll(
                "SELECT * FROM \(sqlTable) WHERE \(condition) AND id > ? ORDER BY id LIMIT ?",
                arguments + [after, limit]))
    }

    // MARK: Writing

    /// Writes every field of the record (absent ones as NULL) and its clocks, creating the row
    /// or replacing it.
    public func upsert(_ db: any SQLConnection, id: String, _ record: VersionedRecord) throws {
        var values: [SQLValue] = [.text(id)]
        values.reserveCapacity(layout.fields.count + 2)
        for field in layout.fields { values.append(try stored(field, record.fields[field.name] ?? .null)) }
        values.append(.text(FlatJSON.encode(record.clocks)))
        try db.execute(layout.upsertSQL, SQLArguments(values))
    }

    /// Writes the fields the record holds and its clocks into an existing row; columns of
    /// fields it does not hold keep their values.
    public func update(_ db: any SQLConnection, id: String, _ record: VersionedRecord) throws {
        let present = layout.fields.filter { record.fields[$0.name] != nil }
        var values: [SQLValue] = []
        values.reserveCapacity(present.count + 2)
        for field in present { values.append(try stored(field, record.fields[field.name]!)) }
        values.append(.text(FlatJSON.encode(record.clocks)))
        values.append(.text(id))
        let sets = (present.map { "\($0.column) = ?" } + ["clocks = ?"]).joined(separator: ", ")
        try db.execute("UPDATE \(sqlTable) SET \(sets) WHERE id = ?", SQLArguments(values))
    }

    /// Inserts a new row; `extra` carries columns outside the synced fields (the server's
    /// `member_id` and `org_path`). Absent and null fields take the column defaults.
    public func insert(
        _ db: any SQLConnection, id: String, _ record: VersionedRecord,
        extra: [String: (any SQLBindable)?] = [:]
    ) throws {
        let present = layout.fields.filter { record.fields[$0.name] != nil && record.fields[$0.name] != .null }
        let extraKeys = extra.keys.sorted().filter { key in !present.contains { $0.column == key } }
        let columns = ["id"] + present.map(\.column) + extraKeys + ["clocks"]
        var values: [SQLValue] = [.text(id)]
        values.reserveCapacity(columns.count)
        for field in present { values.append(try stored(field, record.fields[field.name]!)) }
        for key in extraKeys { values.append((extra[key] ?? nil)?.sqlValue ?? .null) }
        values.append(.text(FlatJSON.encode(record.clocks)))
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.execute(
            "INSERT INTO \(sqlTable) (\(columns.joined(separator: ", "))) VALUES (\(marks))", SQLArguments(values))
    }

    public func delete(_ db: any SQLConnection, id: String) throws {
        try db.execute(layout.deleteSQL, [id])
    }

    /// A field's value as its column holds it: sensitive text sealed when the store seals.
    func stored(_ field: SyncField, _ value: FieldValue) throws -> SQLValue {
        if field.sensitive, let sealing, case .string(let s) = value { return .text(try sealing.seal(text: s)) }
        return value.sqlValue
    }

    /// Clocks text through FlatJSON; text that is not a flat JSON object of strings is a
    /// `DamagedRow` (the decoder's own error could quote the text).
    static func decodeClocks(_ text: String, table: String) throws -> [String: String] {
        do { return try FlatJSON.decodeClocks(text) } catch { throw DamagedRow(table: table, column: "clocks") }
    }
}

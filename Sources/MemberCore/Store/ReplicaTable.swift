import Foundation
import GRDB
import MutualAidDomain
import SyncStorage
import SyncProtocol

/// A synced table in the replica: rows keyed by `id`, one column per field (the shared
/// snake-case names), a `clocks` JSON column for last-writer-wins, and sensitive fields
/// sealed with the store's key.
struct ReplicaTable: Sendable {
    let spec: SyncTable
    let cipher: FieldCipher
    /// The store's clock: local edits through this table are stamped with it.
    let clock: ClientClock

    var sqlTable: String { spec.name }

    /// What a table's statements need, worked out once per table rather than once per row:
    /// a pull writes thousands of rows through the same two statements.
    struct Layout: Sendable {
        let fields: [SyncField]
        let clientFields: Set<String>
        let serverFields: Set<String>
        let selectSQL: String
        let upsertSQL: String

        init(_ spec: SyncTable) {
            fields = spec.fields
            clientFields = spec.clientFields
            serverFields = spec.serverFields
            selectSQL = "SELECT * FROM \(spec.name) WHERE id = ?"
            let names = fields.map(\.column).joined(separator: ", ")
            let marks = Array(repeating: "?", count: fields.count).joined(separator: ", ")
            let updates = fields.map { "\($0.column) = excluded.\($0.column)" }.joined(separator: ", ")
            upsertSQL = """
                INSERT INTO \(spec.name) (id, \(names), clocks) VALUES (?, \(marks), ?)
                ON CONFLICT(id) DO UPDATE SET \(updates), clocks = excluded.clocks
                """
        }
    }

    private static let layouts: [String: Layout] = Dictionary(
        SyncTable.all.map { ($0.name, Layout($0)) }, uniquingKeysWith: { first, _ in first })

    var layout: Layout { Self.layouts[spec.name] ?? Layout(spec) }

    func load(_ db: Database, id: String) throws -> VersionedRecord? {
        let statement = try db.cachedStatement(sql: layout.selectSQL)
        guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
        return try record(row)
    }

    func record(_ row: Row) throws -> VersionedRecord {
        VersionedRecord(fields: try fields(row), clocks: try FlatJSON.decodeClocks(row["clocks"] as String))
    }

    func save(_ db: Database, id: String, _ record: VersionedRecord) throws {
        let layout = self.layout
        var values: [(any DatabaseValueConvertible)?] = [id]
        values.reserveCapacity(layout.fields.count + 2)
        for field in layout.fields {
            let value = record.fields[field.name] ?? .null
            if field.sensitive, case .string(let s) = value {
                values.append(try cipher.seal(text: s))
            } else {
                values.append(value.databaseValue)
            }
        }
        values.append(FlatJSON.encode(record.clocks))
        try db.cachedStatement(sql: layout.upsertSQL).execute(arguments: Self.arguments(values))
    }

    /// The clocks of a row, without opening its sealed fields; nil when there is no row.
    func loadClocks(_ db: Database, id: String) throws -> [String: String]? {
        guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT clocks FROM \(sqlTable) WHERE id = ?"),
                                             arguments: [id]) else { return nil }
        return try FlatJSON.decodeClocks(text)
    }

    /// Writes the fields `record` holds (sealing the sensitive ones) and its clocks into an
    /// existing row; columns of fields it does not hold keep their values.
    func update(_ db: Database, id: String, _ record: VersionedRecord) throws {
        let present = layout.fields.filter { record.fields[$0.name] != nil }
        var values: [(any DatabaseValueConvertible)?] = []
        values.reserveCapacity(present.count + 2)
        for field in present {
            let value = record.fields[field.name]!
            if field.sensitive, case .string(let s) = value {
                values.append(try cipher.seal(text: s))
            } else {
                values.append(value.databaseValue)
            }
        }
        values.append(FlatJSON.encode(record.clocks))
        values.append(id)
        let sets = (present.map { "\($0.column) = ?" } + ["clocks = ?"]).joined(separator: ", ")
        try db.cachedStatement(sql: "UPDATE \(sqlTable) SET \(sets) WHERE id = ?").execute(arguments: Self.arguments(values))
    }

    /// Typed so the compiler cannot pick `StatementArguments.init?(_: [Any])`: where an optional
    /// is accepted (`Statement.execute(arguments:)`) that failable init turns an array holding
    /// nils into no arguments at all.
    static func arguments(_ values: [(any DatabaseValueConvertible)?]) -> StatementArguments {
        StatementArguments(values)
    }

    func delete(_ db: Database, id: String) throws {
        try db.execute(sql: "DELETE FROM \(sqlTable) WHERE id = ?", arguments: [id])
    }

    func all(_ db: Database, where condition: String = "1", arguments: StatementArguments = []) throws -> [(id: String, fields: FieldMap)] {
        try Row.fetchAll(db, sql: "SELECT * FROM \(sqlTable) WHERE \(condition) ORDER BY id", arguments: arguments)
            .map { (id: $0["id"], fields: try fields($0)) }
    }

    private func fields(_ row: Row) throws -> FieldMap {
        var map = FieldMap(minimumCapacity: layout.fields.count)
        for field in layout.fields {
            let value: DatabaseValue = row[field.column]
            var fieldValue = FieldValue(value)
            if field.sensitive, case .string(let s) = fieldValue { fieldValue = .string(try cipher.open(text: s)) }
            map[field.name] = fieldValue
        }
        return map
    }
}

extension ClientDatabase {
    func table(_ spec: SyncTable) -> ReplicaTable { ReplicaTable(spec: spec, cipher: cipher, clock: clock) }

    var tables: [ReplicaTable] { SyncTable.all.map(table) }
}

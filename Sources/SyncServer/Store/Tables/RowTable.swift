import Foundation
import GRDB
import MutualAidDomain
import SyncStorage
import SyncProtocol

/// A synced table stored as one SQL row per record: `id`, one column per field (snake case),
/// `clocks`, and for member records `member_id` and `org_path`.
struct RowTable: ServerTable {
    let spec: SyncTable
    /// SQL condition (over the table's columns) under which a row is a private draft.
    var privateCondition: String? = nil

    var sqlTable: String { spec.name }
    private var isMemberTable: Bool { spec.audience != .everyone }

    init(spec: SyncTable, privateCondition: String? = nil) {
        self.spec = spec; self.privateCondition = privateCondition
    }

    func load(_ db: Database, recordId: String) throws -> StoredRecord? {
        let privateColumn = privateCondition.map { ", (\($0)) AS is_private" } ?? ", 0 AS is_private"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT *\(privateColumn) FROM \(sqlTable) WHERE id = ?"),
                                         arguments: [recordId]) else { return nil }
        return StoredRecord(record: VersionedRecord(fields: fields(row), clocks: Self.clocks(row)),
                            orgPath: isMemberTable ? row["org_path"] : "", memberId: isMemberTable ? row["member_id"] : nil,
                            isPrivate: row["is_private"])
    }

    /// Writes the fields the record holds; columns of absent fields keep their value.
    func save(_ db: Database, recordId: String, _ record: VersionedRecord) throws {
        let present = spec.fields.filter { record.fields[$0.name] != nil }
        let sets = (present.map { "\($0.column) = ?" } + ["clocks = ?"]).joined(separator: ", ")
        // Typed: with `execute(arguments:)`, which takes an optional, the compiler would pick the
        // failable `StatementArguments.init?(_: [Any])`, and an array holding nils would bind nothing.
        let values: [(any DatabaseValueConvertible)?] = present.map { record.fields[$0.name]?.databaseValue }
            + [Self.encode(record.clocks), recordId]
        let arguments: StatementArguments = StatementArguments(values)
        try db.cachedStatement(sql: "UPDATE \(sqlTable) SET \(sets) WHERE id = ?").execute(arguments: arguments)
    }

    /// Inserts a new row; `extra` carries server-only columns (member_id, org_path).
    /// Absent fields take the column defaults.
    func insert(_ db: Database, recordId: String, _ record: VersionedRecord, extra: [String: (any DatabaseValueConvertible)?] = [:]) throws {
        let present = spec.fields.filter { record.fields[$0.name] != nil && record.fields[$0.name] != .null }
        let extraKeys = extra.keys.sorted().filter { key in !present.contains { $0.column == key } }
        let columns = ["id"] + present.map(\.column) + extraKeys + ["clocks"]
        var values: [(any DatabaseValueConvertible)?] = [recordId]
        values += present.map { record.fields[$0.name]?.databaseValue }
        values += extraKeys.map { extra[$0] ?? nil }
        values.append(Self.encode(record.clocks))
        try db.execute(sql: "INSERT INTO \(sqlTable) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))",
                       arguments: StatementArguments(values))
    }

    func delete(_ db: Database, recordId: String) throws {
        try db.execute(sql: "DELETE FROM \(sqlTable) WHERE id = ?", arguments: [recordId])
    }

    func records(_ db: Database, in scope: Scope) throws -> [(id: String, fields: FieldMap)] {
        try fetch(db, in: scope, page: nil)
    }

    func recordPage(_ db: Database, in scope: Scope, after: String, limit: Int) throws -> [(id: String, fields: FieldMap)] {
        try fetch(db, in: scope, page: (after, limit))
    }

    private func fetch(_ db: Database, in scope: Scope, page: (after: String, limit: Int)?) throws -> [(id: String, fields: FieldMap)] {
        var condition: String
        var arguments: [(any DatabaseValueConvertible)?] = []
        switch (spec.audience, scope) {
        case (.everyone, _):
            condition = "1"
        case (.writeOnly, _), (.memberOnly, .subtree):
            return []
        case (_, .member(let memberId)):
            condition = "member_id = ?"
            arguments = [memberId]
        case (.memberRecords, .subtree(let path)):
            condition = "org_path >= ? AND org_path < ?" + (privateCondition.map { " AND NOT (\($0))" } ?? "")
            arguments = [path, path + "\u{10FFFF}"]
        }
        var sql = "SELECT * FROM \(sqlTable) WHERE \(condition)"
        if let page {
            sql += " AND id > ? ORDER BY id LIMIT ?"
            arguments += [page.after, page.limit]
        }
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { (id: $0["id"], fields: fields($0)) }
    }

    func fields(_ row: Row) -> FieldMap {
        var map = FieldMap()
        for field in spec.fields {
            let value: DatabaseValue = row[field.column]
            map[field.name] = FieldValue(value)
        }
        return map
    }

    static func clocks(_ row: Row) -> [String: String] {
        (try? FlatJSON.decodeClocks(row["clocks"] as String? ?? "{}")) ?? [:]
    }

    static func encode(_ clocks: [String: String]) -> String {
        FlatJSON.encode(clocks)
    }
}

import Foundation
import GRDB
import MutualAidDomain

/// A synced table in the replica: rows keyed by `id`, columns named by the shared
/// `SyncTable.columns`, and a `clocks` JSON column for last-writer-wins.
struct ReplicaTable: Sendable {
    let spec: SyncTable
    let sqlTable: String

    static let all = [ReplicaTable(spec: .profile, sqlTable: "profile")]

    static func named(_ name: String) -> ReplicaTable? { all.first { $0.spec.name == name } }

    private var orderedColumns: [(field: String, column: String)] {
        spec.columns.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func load(_ db: Database, id: String) throws -> VersionedRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \(sqlTable) WHERE id = ?", arguments: [id]) else { return nil }
        return VersionedRecord(fields: fields(row), clocks: try JSONDecoder().decode([String: String].self,
                                                                                     from: Data((row["clocks"] as String).utf8)))
    }

    func save(_ db: Database, id: String, _ record: VersionedRecord) throws {
        let cols = orderedColumns
        let values: [(any DatabaseValueConvertible)?] = cols.map { record.fields[$0.field]?.databaseValue }
        let clocks = String(decoding: try JSONEncoder().encode(record.clocks), as: UTF8.self)
        let names = cols.map(\.column).joined(separator: ", ")
        let marks = Array(repeating: "?", count: cols.count).joined(separator: ", ")
        let updates = cols.map { "\($0.column) = excluded.\($0.column)" }.joined(separator: ", ")
        try db.execute(sql: """
            INSERT INTO \(sqlTable) (id, \(names), clocks) VALUES (?, \(marks), ?)
            ON CONFLICT(id) DO UPDATE SET \(updates), clocks = excluded.clocks
            """, arguments: StatementArguments([id] + values + [clocks]))
    }

    func all(_ db: Database) throws -> [(id: String, fields: FieldMap)] {
        try Row.fetchAll(db, sql: "SELECT * FROM \(sqlTable) ORDER BY id").map { (id: $0["id"], fields: fields($0)) }
    }

    private func fields(_ row: Row) -> FieldMap {
        var map = FieldMap()
        for (field, column) in spec.columns {
            let value: DatabaseValue = row[column]
            map[field] = FieldValue(value)
        }
        return map
    }
}

extension FieldValue {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null, .blob: self = .null
        case .int64(let i): self = .int(i)
        case .double(let d): self = .int(Int64(d))
        case .string(let s): self = .string(s)
        }
    }

    var databaseValue: (any DatabaseValueConvertible)? {
        switch self {
        case .string(let s): s
        case .int(let i): i
        case .bool(let b): b
        case .null: nil
        }
    }
}

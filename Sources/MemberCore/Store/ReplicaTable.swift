import Foundation
import GRDB
import MutualAidDomain
import SyncStorage

/// A synced table in the replica: rows keyed by `id`, one column per field (the shared
/// snake-case names), a `clocks` JSON column for last-writer-wins, and sensitive fields
/// sealed with the store's key.
struct ReplicaTable: Sendable {
    let spec: SyncTable
    let cipher: FieldCipher

    var sqlTable: String { spec.name }

    func load(_ db: Database, id: String) throws -> VersionedRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \(sqlTable) WHERE id = ?", arguments: [id]) else { return nil }
        return try record(row)
    }

    func record(_ row: Row) throws -> VersionedRecord {
        VersionedRecord(fields: try fields(row),
                        clocks: try JSONDecoder().decode([String: String].self, from: Data((row["clocks"] as String).utf8)))
    }

    func save(_ db: Database, id: String, _ record: VersionedRecord) throws {
        let cols = spec.fields
        let values: [(any DatabaseValueConvertible)?] = try cols.map { field in
            let value = record.fields[field.name] ?? .null
            if field.sensitive, case .string(let s) = value { return try cipher.seal(text: s) }
            return value.databaseValue
        }
        let clocks = String(decoding: try JSONEncoder().encode(record.clocks), as: UTF8.self)
        let names = cols.map(\.column).joined(separator: ", ")
        let marks = Array(repeating: "?", count: cols.count).joined(separator: ", ")
        let updates = cols.map { "\($0.column) = excluded.\($0.column)" }.joined(separator: ", ")
        try db.execute(sql: """
            INSERT INTO \(sqlTable) (id, \(names), clocks) VALUES (?, \(marks), ?)
            ON CONFLICT(id) DO UPDATE SET \(updates), clocks = excluded.clocks
            """, arguments: StatementArguments([id] + values + [clocks]))
    }

    func delete(_ db: Database, id: String) throws {
        try db.execute(sql: "DELETE FROM \(sqlTable) WHERE id = ?", arguments: [id])
    }

    func all(_ db: Database, where condition: String = "1", arguments: StatementArguments = []) throws -> [(id: String, fields: FieldMap)] {
        try Row.fetchAll(db, sql: "SELECT * FROM \(sqlTable) WHERE \(condition) ORDER BY id", arguments: arguments)
            .map { (id: $0["id"], fields: try fields($0)) }
    }

    private func fields(_ row: Row) throws -> FieldMap {
        var map = FieldMap()
        for field in spec.fields {
            let value: DatabaseValue = row[field.column]
            var fieldValue = FieldValue(value)
            if field.sensitive, case .string(let s) = fieldValue { fieldValue = .string(try cipher.open(text: s)) }
            map[field.name] = fieldValue
        }
        return map
    }
}

extension ClientDatabase {
    func table(_ spec: SyncTable) -> ReplicaTable { ReplicaTable(spec: spec, cipher: cipher) }

    var tables: [ReplicaTable] { SyncTable.all.map(table) }
}

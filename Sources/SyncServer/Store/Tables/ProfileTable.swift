import Foundation
import GRDB
import MutualAidDomain

/// The member profile (contact mobile, payout bank account) lives in the `member` table.
struct ProfileTable: ServerTable {
    var spec: SyncTable { .profile }

    func load(_ db: Database, recordId: String) throws -> StoredRecord? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT m.*, o.path FROM member m JOIN org o ON o.id = m.unit_id WHERE m.id = ?
            """, arguments: [recordId]) else { return nil }
        let clocks = (try? JSONDecoder().decode([String: String].self, from: Data((row["clocks"] as String).utf8))) ?? [:]
        return StoredRecord(record: VersionedRecord(fields: Self.fields(row), clocks: clocks),
                            orgPath: row["path"], memberId: row["id"])
    }

    func save(_ db: Database, recordId: String, _ record: VersionedRecord) throws {
        let clocks = String(decoding: try JSONEncoder().encode(record.clocks), as: UTF8.self)
        try db.execute(sql: "UPDATE member SET mobile = ?, bank_account = ?, bank_name = ?, clocks = ? WHERE id = ?",
                       arguments: [record.fields["mobile"]?.stringValue, record.fields["bankAccount"]?.stringValue,
                                   record.fields["bankName"]?.stringValue, clocks, recordId])
    }

    func records(_ db: Database, in scope: Scope) throws -> [(id: String, fields: FieldMap)] {
        // Member-only: staff checksums do not include profiles.
        guard case .member(let memberId) = scope else { return [] }
        return try Row.fetchAll(db, sql: "SELECT * FROM member WHERE id = ?", arguments: [memberId])
            .map { (id: $0["id"], fields: Self.fields($0)) }
    }

    static func fields(_ row: Row) -> FieldMap {
        var map = FieldMap()
        for (field, column) in SyncTable.profile.columns {
            let value: String? = row[column]
            map[field] = value.map(FieldValue.string) ?? .null
        }
        return map
    }
}

import Foundation
import GRDB
import MutualAidDomain
import SyncStorage

/// The member profile (contact mobile, payout bank account) lives in the `member` table.
struct ProfileTable: ServerTable {
    var spec: SyncTable { .profile }

    func load(_ db: Database, recordId: String) throws -> StoredRecord? {
        // Cached: a push of many profile edits loads the record twice per change, and preparing
        // a statement (GRDB's authorizer included) cost more than running it.
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT m.*, o.path FROM member m JOIN org o ON o.id = m.unit_id WHERE m.id = ?
            """), arguments: [recordId]) else { return nil }
        return StoredRecord(record: VersionedRecord(fields: Self.fields(row), clocks: RowTable.clocks(row)),
                            orgPath: row["path"], memberId: row["id"])
    }

    func save(_ db: Database, recordId: String, _ record: VersionedRecord) throws {
        try db.cachedStatement(sql: "UPDATE member SET mobile = ?, bank_account = ?, bank_name = ?, clocks = ? WHERE id = ?")
            .execute(arguments: [record.fields["mobile"]?.stringValue, record.fields["bankAccount"]?.stringValue,
                                   record.fields["bankName"]?.stringValue, RowTable.encode(record.clocks), recordId])
    }

    func records(_ db: Database, in scope: Scope) throws -> [(id: String, fields: FieldMap)] {
        // Member-only: staff checksums do not include profiles.
        guard case .member(let memberId) = scope else { return [] }
        return try Row.fetchAll(db, sql: "SELECT * FROM member WHERE id = ?", arguments: [memberId])
            .map { (id: $0["id"], fields: Self.fields($0)) }
    }

    static func fields(_ row: Row) -> FieldMap {
        var map = FieldMap()
        for field in SyncTable.profile.fields {
            let value: DatabaseValue = row[field.column]
            map[field.name] = FieldValue(value)
        }
        return map
    }
}

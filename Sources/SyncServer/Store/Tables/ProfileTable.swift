import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// The member profile (contact mobile, payout bank account) lives in the `member` table.
struct ProfileTable: ServerTable {
    var spec: SyncTable { .profile }
    var storageTable: String { "member" }

    func load(_ db: any SQLConnection, recordId: String) throws -> StoredRecord? {
        guard
            let row = try db.fetchOne(
                sql: "SELECT m.*, o.path FROM member m JOIN org o ON o.id = m.unit_id WHERE m.id = ?",
                arguments: [recordId])
        else { return nil }
        return try StoredRecord(
            record: VersionedRecord(
                fields: try Self.codec.fields(row), clocks: try RowCodec.clocks(row, table: "member")),
            orgPath: row["path"], memberId: row["id"])
    }

    func save(_ db: any SQLConnection, recordId: String, _ record: VersionedRecord) throws {
        try db.execute(
            sql: "UPDATE member SET mobile = ?, bank_account = ?, bank_name = ?, clocks = ? WHERE id = ?",
            arguments: [
                record.fields["mobile"]?.stringValue, record.fields["bankAccount"]?.stringValue,
                record.fields["bankName"]?.stringValue, FlatJSON.encode(record.clocks), recordId,
            ])
    }

    func records(_ db: any SQLConnection, in scope: Scope) throws -> [(id: String, fields: FieldMap)] {
        // Member-only: staff checksums do not include profiles.
        guard case .member(let memberId) = scope else { return [] }
        return try db.fetchAll(sql: "SELECT * FROM member WHERE id = ?", arguments: [memberId])
            .map { (id: try $0["id"], fields: try Self.codec.fields($0)) }
    }

    /// Reads the profile's fields from `member` rows; its statements are the ones above, since
    /// the profile is not a table of its own on the server.
    private static let codec = RowCodec(.profile)
}

import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// A synced table stored as one SQL row per record through the shared `RowCodec` (`id`, one
/// column per field, `clocks`), plus `member_id` and `org_path` for member records. The server
/// keeps sensitive fields as they are: no sealing.
struct RowTable: ServerTable {
    let codec: RowCodec
    /// SQL condition (over the table's columns) under which a row is a private draft.
    let privateCondition: String?
    /// Built once per table value: the tables in `ServerTables.all` live for the process.
    let loadSQL: String

    var spec: SyncTable { codec.spec }
    private var isMemberTable: Bool { spec.audience != .everyone }

    /// The condition of a row of `spec` (a claim's material or trail entry) whose claim is a
    /// draft: one lookup of its claim by primary key. `claim_id IN (SELECT id FROM claim WHERE
    /// state = 'draft')` collected every draft claim again for each statement (no index leads to
    /// them), a scan of the whole claim table per row loaded on both stores.
    static func ofDraftClaim(_ spec: SyncTable) -> String {
        "EXISTS (SELECT 1 FROM claim WHERE claim.id = \(spec.name).claim_id AND claim.state = 'draft')"
    }

    init(spec: SyncTable, privateCondition: String? = nil) {
        codec = RowCodec(spec)
        self.privateCondition = privateCondition
        loadSQL =
            "SELECT *\(privateCondition.map { ", (\($0)) AS is_private" } ?? ", 0 AS is_private") FROM \(spec.name) WHERE id = ?"
    }

    func load(_ db: any SQLConnection, recordId: String) throws -> StoredRecord? {
        guard let row = try db.fetchOne(sql: loadSQL, arguments: [recordId]) else { return nil }
        return StoredRecord(
            record: try codec.record(row), orgPath: isMemberTable ? try row["org_path"] : "",
            memberId: isMemberTable ? try row["member_id"] : nil, isPrivate: try row["is_private"])
    }

    /// Writes the fields the record holds; columns of absent fields keep their value.
    func save(_ db: any SQLConnection, recordId: String, _ record: VersionedRecord) throws {
        try codec.update(db, id: recordId, record)
    }

    /// Inserts a new row; `extra` carries server-only columns (member_id, org_path).
    /// Absent fields take the column defaults.
    func insert(
        _ db: any SQLConnection, recordId: String, _ record: VersionedRecord,
        extra: [String: (any SQLBindable)?] = [:]
    ) throws {
        try codec.insert(db, id: recordId, record, extra: extra)
    }

    func delete(_ db: any SQLConnection, recordId: String) throws {
        try codec.delete(db, id: recordId)
    }

    func records(_ db: any SQLConnection, in scope: Scope) throws -> [(id: String, fields: FieldMap)] {
        guard let (condition, arguments) = visibility(scope) else { return [] }
        return try codec.all(db, where: condition, arguments: SQLArguments(arguments))
    }

    func recordPage(_ db: any SQLConnection, in scope: Scope, after: String, limit: Int) throws -> [(
        id: String, fields: FieldMap
    )] {
        guard let (condition, arguments) = visibility(scope) else { return [] }
        return try codec.page(db, where: condition, arguments: SQLArguments(arguments), after: after, limit: limit)
    }

    /// The rows a scope may see, as an SQL condition; nil when it may see none.
    private func visibility(_ scope: Scope) -> (String, [(any SQLBindable)?])? {
        switch (spec.audience, scope) {
        case (.everyone, _):
            ("TRUE", [])
        case (.writeOnly, _), (.memberOnly, .subtree):
            nil
        case (_, .member(let memberId)):
            ("member_id = ?", [memberId])
        case (.memberRecords, .subtree(let path)):
            (
                "org_path >= ? AND org_path < ?" + (privateCondition.map { " AND NOT (\($0))" } ?? ""),
                [path, path + "\u{10FFFF}"]
            )
        case (.addressed, .subtree(let path)):
            // Addressed to the staff account's own organisation, never to one below it.
            ("member_id IS NULL AND org_path = ?", [path])
        }
    }

    func fields(_ row: SQLRow) throws -> FieldMap {
        try codec.fields(row)
    }
}

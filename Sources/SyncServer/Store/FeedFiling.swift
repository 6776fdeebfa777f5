import MutualAidDomain
import SyncStorage

/// The change feed's two halves that must never disagree: an entry in `change_feed` and, when
/// staff may see it, its filing under each subtree in `feed_scope` (schema 0021 / pg 0014).
/// Every write of the feed goes through here, in the caller's transaction.
enum FeedFiling {
    /// One entry about to be appended; `fields`/`clocks` are the JSON the feed serves as it is.
    struct Entry {
        var table: String
        var recordId: String
        var op: ChangeOp
        var orgPath: String
        var memberId: String?
        var memberOnly: Bool
        var isPublic: Bool
        var orgOnly: Bool
        var fields: String
        var clocks: String
        var memberFields: String? = nil
        var memberClocks: String? = nil
        var createdAt: String
    }

    static func append(_ entry: Entry, _ db: any SQLConnection) throws {
        let insert = """
            INSERT INTO change_feed (tbl, record_id, op, org_path, member_id, member_only, is_public, fields,
                                     clocks, member_fields, member_clocks, created_at, org_only)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        let arguments: SQLArguments = [
            entry.table, entry.recordId, entry.op.rawValue, entry.orgPath, entry.memberId, entry.memberOnly,
            entry.isPublic, entry.fields, entry.clocks, entry.memberFields, entry.memberClocks,
            entry.createdAt, entry.orgOnly,
        ]
        // Most pushed changes are a member's own (member-only): no filing, no number needed.
        guard !entry.memberOnly else { return try db.execute(sql: insert, arguments: arguments) }
        // RETURNING answers one row for the one row inserted.
        guard let seq = try db.fetchValue(Int64.self, sql: insert + " RETURNING seq", arguments: arguments) else {
            throw ServerError(.internalServerError, "feed_append", "变更记录写入失败，请稍后重试")
        }
        let paths = Scope.subtreePaths(filing: entry.orgPath)
        try db.execute(
            sql: "INSERT INTO feed_scope (scope, seq) VALUES "
                + Array(repeating: "(?, ?)", count: paths.count).joined(separator: ", "),
            arguments: SQLArguments(paths.flatMap { [SQLValue.text($0), .integer(seq)] }))
    }

    /// Removes every entry of a record, with its filings.
    static func removeEntries(table: String, recordId: String, _ db: any SQLConnection) throws {
        let filed = try db.fetchAll(
            sql: "SELECT seq, org_path FROM change_feed WHERE tbl = ? AND record_id = ? AND member_only = 0",
            arguments: [table, recordId])
        for row in filed {
            let seq: Int64 = try row[0]
            let paths = Scope.subtreePaths(filing: try row[1])
            try db.execute(
                sql: "DELETE FROM feed_scope WHERE seq = ? AND scope IN ("
                    + Array(repeating: "?", count: paths.count).joined(separator: ", ") + ")",
                arguments: SQLArguments([.integer(seq)] + paths.map { .text($0) }))
        }
        try db.execute(sql: "DELETE FROM change_feed WHERE tbl = ? AND record_id = ?", arguments: [table, recordId])
    }
}

import Foundation
import MutualAidDomain
import SyncStorage

/// The ledger of pushed changes: what each change id was answered, kept so a retried batch is
/// answered the same and applied once. A batch asks it once and writes it once: the answers to
/// ids of the client's shape ("device:number") as one row (`applied_batch`, see
/// PushLedger+Batches.swift), any other id as a row of its own in `applied_change_row`, which
/// also holds every answer written before schema 0022 (pg 0015). `applied_change` is a view
/// of both, for reading.
enum PushLedger {
    typealias Answer = (status: String, reason: String?, digest: String?)

    /// One answer to write down; the texts are the client's, kept short and without NUL.
    struct Row {
        let changeId: String
        let table: String
        let recordId: String
        let digest: String
        var reason: String?
    }

    /// Rows per multi-row statement on SQLite: two statement shapes (full and the rest) per
    /// batch size, and far below the limit on bound values.
    static let rowsPerStatement = 100

    /// What the ledger answered for each of these change ids before. Ids above their
    /// device's watermark were never answered and are not asked for.
    static func priorAnswers(_ ids: [String], accountId: String, _ db: any SQLConnection) throws -> [String: Answer] {
        var answers: [String: Answer] = [:]
        let asked = try PushWatermark.mayBeAnswered(ids, accountId: accountId, db)
        guard !asked.isEmpty else { return answers }
        for (sql, arguments) in priorAnswersQueries(asked, accountId: accountId, db.dialect) {
            for row in try db.fetchAll(sql: sql, arguments: arguments) {
                answers[try row["change_id"]] = (try row["status"], try row["reason"], try row["digest"])
            }
        }
        try batchAnswers(to: asked, accountId: accountId, db, into: &answers)
        return answers
    }

    /// PostgreSQL plans an `IN` list by its statistics: while a growing ledger has none yet
    /// (a new store, before autovacuum's first analyse) it read the account's whole ledger and
    /// filtered it, so each batch cost more than the last. A key lookup per id (the lateral
    /// `LIMIT 1` keeps the planner from turning it into a join) is the same plan whatever the
    /// statistics say. SQLite looks each id up by the key either way.
    static func priorAnswersQueries(_ ids: [String], accountId: String, _ dialect: SQLDialect)
        -> [(sql: String, arguments: SQLArguments)]
    {
        switch dialect {
        case .sqlite:
            return stride(from: 0, to: ids.count, by: rowsPerStatement).map { start in
                let chunk = ids[start..<min(start + rowsPerStatement, ids.count)]
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                return (
                    """
                    SELECT change_id, status, reason, digest FROM applied_change_row
                    WHERE account_id = ? AND change_id IN (\(marks))
                    """, SQLArguments([.text(accountId)] + chunk.map { .text($0) })
                )
            }
        case .postgres:
            return [
                (
                    """
                    SELECT a.change_id, a.status, a.reason, a.digest
                    FROM (SELECT CAST(? AS TEXT) AS account_id) AS owner
                    CROSS JOIN unnest(CAST(? AS text[])) AS wanted(change_id)
                    CROSS JOIN LATERAL (
                        SELECT change_id, status, reason, digest FROM applied_change_row
                        WHERE account_id = owner.account_id AND change_id = wanted.change_id LIMIT 1) AS a
                    """, SQLArguments([.text(accountId), .textArray(ids)])
                )
            ]
        }
    }

    static func write(_ rows: [Row], accountId: String, at now: Date, _ db: any SQLConnection) throws {
        guard !rows.isEmpty else { return }
        try PushWatermark.raise(rows.map(\.changeId), accountId: accountId, db)
        let appliedAt = Timestamp.format(now)
        var numbered: [Substring: [(seq: Int64, row: Row)]] = [:]
        var others: [Row] = []
        for row in rows {
            if let (node, seq) = ChangeId.parts(row.changeId) {
                numbered[node, default: []].append((seq, row))
            } else {
                others.append(row)
            }
        }
        // The route lets a batch name one device only: one row per batch.
        for (node, answered) in numbered {
            try writeBatch(node: String(node), answered, accountId: accountId, appliedAt: appliedAt, db)
        }
        try writeRows(others, accountId: accountId, appliedAt: .text(appliedAt), db)
    }

    /// Answers to ids of another shape, a row each.
    private static func writeRows(_ rows: [Row], accountId: String, appliedAt: SQLValue, _ db: any SQLConnection) throws
    {
        guard !rows.isEmpty else { return }
        let columns = "account_id, change_id, tbl, record_id, status, reason, applied_at, digest"
        switch db.dialect {
        case .sqlite:
            let shape = "(?, ?, ?, ?, ?, ?, ?, ?)"
            for start in stride(from: 0, to: rows.count, by: rowsPerStatement) {
                let chunk = rows[start..<min(start + rowsPerStatement, rows.count)]
                var values: [SQLValue] = []
                values.reserveCapacity(chunk.count * 8)
                for row in chunk {
                    values += [
                        .text(accountId), .text(row.changeId), .text(SQLCaseStore.ledgerText(row.table)),
                        .text(SQLCaseStore.ledgerText(row.recordId)), .text(status(row)),
                        row.reason.map { .text(SQLCaseStore.ledgerText($0, limit: 2000)) } ?? .null, appliedAt,
                        .text(row.digest),
                    ]
                }
                try db.execute(
                    sql: """
                        INSERT INTO applied_change_row (\(columns))
                        VALUES \(Array(repeating: shape, count: chunk.count).joined(separator: ", "))
                        """, arguments: SQLArguments(values))
            }
        case .postgres:
            let arrays: [[String?]] = [
                rows.map(\.changeId), rows.map { SQLCaseStore.ledgerText($0.table) },
                rows.map { SQLCaseStore.ledgerText($0.recordId) }, rows.map(status),
                rows.map { $0.reason.map { SQLCaseStore.ledgerText($0, limit: 2000) } }, rows.map(\.digest),
            ]
            try db.execute(
                sql: """
                    INSERT INTO applied_change_row (\(columns))
                    SELECT CAST(? AS TEXT), r.change_id, r.tbl, r.record_id, r.status, r.reason, CAST(? AS TEXT), r.digest
                    FROM unnest(
                        CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[])
                    ) AS r(change_id, tbl, record_id, status, reason, digest)
                    """,
                arguments: SQLArguments(
                    [.text(accountId), appliedAt] + arrays.map { .textArray($0) }))
        }
    }

    static func status(_ row: Row) -> String { row.reason == nil ? "applied" : "rejected" }
}

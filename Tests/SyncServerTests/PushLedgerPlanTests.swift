import Foundation
import SyncStorage
import Testing

@testable import SyncServer

/// A push asks the ledger what it answered before for each change of a batch. On a new
/// PostgreSQL store (no statistics until autovacuum's first analyse) an `IN` list was planned
/// as a read of the account's whole ledger, filtered: each batch of a long push cost more than
/// the one before. The lookup must go by the ledger's key on either store, statistics or not.
@Suite struct PushLedgerPlanTests {
    private static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func theLedgerIsAskedByItsKeyBeforeItHasStatistics() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await openStore(in: directory)
        // One account's ledger of 5,000 answers, written in one transaction and never analysed.
        try await store.database.write { db in
            for start in stride(from: 0, to: 5000, by: 100) {
                let rows = (start..<start + 100).map { _ in "(?, ?, 'person', 'p-1', 'applied', NULL, 'now', 'd')" }
                try db.execute(
                    sql: """
                        INSERT INTO applied_change_row (account_id, change_id, tbl, record_id, status, reason, applied_at, digest)
                        VALUES \(rows.joined(separator: ", "))
                        """,
                    arguments: SQLArguments((start..<start + 100).flatMap { [.text("a-1"), .text("dev:\($0)")] }))
            }
        }
        let wanted = (4900..<5000).map { "dev:\($0)" }
        let (dialect, plan, found) = try await store.database.read { db in
            let queries = PushLedger.priorAnswersQueries(wanted, accountId: "a-1", db.dialect)
            #expect(queries.count == 1)
            let (query, arguments) = queries[0]
            let explain = db.dialect == .sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN "
            let plan = try db.fetchAll(sql: explain + query, arguments: arguments).map { row in
                row.values.map { value in
                    if case .text(let text) = value { return text }
                    return ""
                }.joined(separator: " ")
            }
            return (db.dialect, plan.joined(separator: "\n"), try db.fetchAll(sql: query, arguments: arguments).count)
        }
        #expect(found == 100)
        switch dialect {
        case .sqlite:
            #expect(
                plan.contains("USING INDEX sqlite_autoindex_applied_change_row_1 (account_id=? AND change_id=?)"),
                "\(plan)"
            )
        case .postgres:
            #expect(plan.contains("Index Scan using applied_change_pkey"), "\(plan)")
            #expect(!plan.contains("Bitmap Heap Scan") && !plan.contains("Seq Scan"), "\(plan)")
        }
    }

    /// On PostgreSQL a batch's ledger rows go as text arrays in one statement: any text a
    /// client may send must come back as it went (quotes, backslashes, braces, commas, NULL),
    /// cut and cleaned only as the ledger always did.
    @Test func aLedgerOfAnyTextIsReadBackAsWritten() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await openStore(in: directory)
        let odd = ["a\"b", "c\\d", "{e,f}", "NULL", "", " g ", "张伟,\"李娜\"", "h\u{0}i"]
        let rows = odd.enumerated().map { index, text in
            PushLedger.Row(
                changeId: "dev-\"\\{,}:\(index)", table: text, recordId: text, digest: "d\(index)",
                reason: index.isMultiple(of: 2) ? nil : text + String(repeating: "长", count: 2100))
        }
        let answers = try await store.database.write { db in
            try PushLedger.write(rows, accountId: "a,1", at: Date(), db)
            return try PushLedger.priorAnswers(rows.map(\.changeId) + ["dev:none"], accountId: "a,1", db)
        }
        #expect(answers.count == odd.count)
        for (index, row) in rows.enumerated() {
            let answer = try #require(answers[row.changeId])
            #expect(answer.status == (index.isMultiple(of: 2) ? "applied" : "rejected"))
            #expect(answer.digest == "d\(index)")
            #expect(answer.reason == row.reason.map { SQLCaseStore.ledgerText($0, limit: 2000) })
        }
        let stored = try await store.database.read { db in
            try db.fetchValues(String.self, sql: "SELECT tbl FROM applied_change ORDER BY change_id", arguments: [])
        }
        #expect(stored == odd.map { SQLCaseStore.ledgerText($0) })
    }

    /// The ledger's arrays are bound in PostgreSQL's binary format: an empty array, NULLs and
    /// any text go across whole. SQLite has no arrays and refuses one with an error.
    @Test func aTextArrayGoesAcrossWholeOrIsRefused() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await openStore(in: directory)
        let arrays: [[String?]] = [[], [nil], ["a", nil, "\"{,}\\", "", "张伟"], (0..<3000).map { "c\($0)" }]
        for elements in arrays {
            let (dialect, read) = try await store.database.read { db -> (SQLDialect, Result<[String?], any Error>) in
                // SQLite gets a statement it can prepare, so the refusal is the binding's.
                let sql =
                    db.dialect == .sqlite
                    ? "SELECT ? AS e"
                    : "SELECT e FROM unnest(CAST(? AS text[])) WITH ORDINALITY AS t(e, n) ORDER BY n"
                do {
                    let rows = try db.fetchAll(sql: sql, arguments: SQLArguments([.textArray(elements)]))
                    return (db.dialect, .success(try rows.map { row -> String? in try row["e"] }))
                } catch {
                    return (db.dialect, .failure(error))
                }
            }
            switch (dialect, read) {
            case (.postgres, .success(let back)): #expect(back == elements)
            case (.sqlite, .failure(let error)): #expect("\(error)".contains("SQLite has no array parameters"))
            case (let dialect, let result): Issue.record("\(dialect): \(result)")
            }
        }
    }
}

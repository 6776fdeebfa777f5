import Foundation
import SyncStorage
import Testing

@testable import SyncServer

/// A push asks the ledger what it answered before for each change of a batch. On a new
/// PostgreSQL store (no statistics until autovacuum's first analyse) an `IN` list was planned
/// as a read of the account's whole ledger, filtered: each batch of a long push cost more than
/// the one before. The lookup must go by the ledger's key on either store, statistics or not.
@Suite struct PushLedgerPlanTests {
    @Test func theLedgerIsAskedByItsKeyBeforeItHasStatistics() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ledger-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await openStore(in: directory)
        // One account's ledger of 5,000 answers, written in one transaction and never analysed.
        try await store.database.write { db in
            for start in stride(from: 0, to: 5000, by: 100) {
                let rows = (start..<start + 100).map { _ in "(?, ?, 'person', 'p-1', 'applied', NULL, 'now', 'd')" }
                try db.execute(
                    sql: """
                        INSERT INTO applied_change (account_id, change_id, tbl, record_id, status, reason, applied_at, digest)
                        VALUES \(rows.joined(separator: ", "))
                        """,
                    arguments: SQLArguments((start..<start + 100).flatMap { [.text("a-1"), .text("dev:\($0)")] }))
            }
        }
        let wanted = (4900..<5000).map { SQLValue.text("dev:\($0)") }
        let (dialect, plan, found) = try await store.database.read { db in
            let query = PushBatch.priorAnswersQuery(count: wanted.count, db.dialect)
            let explain = db.dialect == .sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN "
            let arguments = SQLArguments([.text("a-1")] + wanted)
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
                plan.contains("USING INDEX sqlite_autoindex_applied_change_1 (account_id=? AND change_id=?)"), "\(plan)"
            )
        case .postgres:
            #expect(plan.contains("Index Scan using applied_change_pkey"), "\(plan)")
            #expect(!plan.contains("Bitmap Heap Scan") && !plan.contains("Seq Scan"), "\(plan)")
        }
    }
}

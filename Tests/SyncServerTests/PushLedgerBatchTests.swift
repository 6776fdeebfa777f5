import Foundation
import SyncStorage
import Testing

@testable import SyncServer

/// The ledger keeps a push's answers as one row per batch (`applied_batch`), ids of another
/// shape as a row each (`applied_change_row`), and shows both as `applied_change`. Every answer
/// must be found again by its change id, exactly as written, on both stores.
@Suite struct PushLedgerBatchTests {
    private static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("batches-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    private static func row(_ id: String, reason: String? = nil) -> PushLedger.Row {
        PushLedger.Row(changeId: id, table: "profile", recordId: "p-\(id)", digest: "d-\(id)", reason: reason)
    }

    @Test func aBatchsAnswersAreOneRowAndAnswerItsRetryExactly() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await openStore(in: directory)
        let refused = "字段\"手机号\"不符合要求\\请改正后重新提交\n" + String(repeating: "长", count: 2100)
        let rows =
            (1...300).map { Self.row("dev:\($0)", reason: $0.isMultiple(of: 7) ? refused : nil) }
            + [Self.row("odd id"), Self.row("dev:007")]  // not "device:number": a row each
        let (answers, batches, single, viewed) = try await store.database.write { db in
            try PushLedger.write(rows, accountId: "a-1", at: Date(), db)
            return (
                try PushLedger.priorAnswers(rows.map(\.changeId) + ["dev:301"], accountId: "a-1", db),
                try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM applied_batch"),
                try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM applied_change_row"),
                try db.fetchAll(
                    sql: """
                        SELECT change_id, tbl, record_id, status, reason, digest FROM applied_change
                        WHERE account_id = ?
                        """,
                    arguments: ["a-1"])
            )
        }
        #expect(batches == 1)
        #expect(single == 2)
        #expect(answers.count == rows.count)
        #expect(viewed.count == rows.count)
        var shown: [String: [String?]] = [:]
        for row in viewed {
            shown[try row["change_id"]] = [
                try row["tbl"], try row["record_id"], try row["status"], try row["reason"], try row["digest"],
            ]
        }
        for row in rows {
            let answer = try #require(answers[row.changeId], "\(row.changeId)")
            let reason = row.reason.map { SQLCaseStore.ledgerText($0, limit: 2000) }
            #expect(answer.status == (row.reason == nil ? "applied" : "rejected"))
            #expect(answer.reason == reason)
            #expect(answer.digest == row.digest)
            #expect(shown[row.changeId] == ["profile", "p-\(row.changeId)", answer.status, reason, row.digest])
        }
    }

    /// A restored device can send a number that lies between numbers of an earlier batch: it
    /// gets a row of its own, and both rows still answer for their own numbers only.
    @Test func aNumberWithinAnEarlierBatchsRangeIsFoundInItsOwnRow() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await openStore(in: directory)
        let answers = try await store.database.write { db in
            try PushLedger.write(
                [Self.row("dev:1"), Self.row("dev:2"), Self.row("dev:4"), Self.row("dev:5")], accountId: "a-1",
                at: Date(), db)
            #expect(try PushLedger.priorAnswers(["dev:3"], accountId: "a-1", db).isEmpty)
            try PushLedger.write([Self.row("dev:3", reason: "晚到")], accountId: "a-1", at: Date(), db)
            // Another account's device of the same name is not this one.
            try PushLedger.write([Self.row("dev:6")], accountId: "a-2", at: Date(), db)
            return try PushLedger.priorAnswers((1...6).map { "dev:\($0)" }, accountId: "a-1", db)
        }
        #expect(Set(answers.keys) == Set((1...5).map { "dev:\($0)" }))
        #expect(answers["dev:3"]?.reason == "晚到")
        #expect(answers["dev:4"]?.digest == "d-dev:4" && answers["dev:4"]?.status == "applied")
    }

    /// Answers written as a row each before schema 0022 (pg 0015) still answer a retry, and
    /// show in `applied_change` beside the new rows.
    @Test func answersWrittenBeforeTheBatchRowsStillAnswer() async throws {
        let (answers, shown) = try await StepMigration.across(
            "ledger_batches",
            write: { db in
                for seq in 1...3 {
                    try db.execute(
                        sql: """
                            INSERT INTO applied_change (account_id, change_id, tbl, record_id, status, reason, applied_at, digest)
                            VALUES ('a-1', ?, 'profile', 'p-1', 'rejected', '旧的原因', 'then', ?)
                            """, arguments: ["dev:\(seq)", "old-\(seq)"])
                }
                try db.execute(sql: "INSERT INTO push_watermark (account_id, node, seq) VALUES ('a-1', 'dev', 3)")
            },
            read: { db in
                (
                    try PushLedger.priorAnswers(["dev:1", "dev:2", "dev:3", "dev:4"], accountId: "a-1", db),
                    try db.fetchValues(String.self, sql: "SELECT change_id FROM applied_change ORDER BY change_id")
                )
            })
        #expect(shown == ["dev:1", "dev:2", "dev:3"])
        #expect(answers.count == 3)
        #expect(answers["dev:2"]?.digest == "old-2" && answers["dev:2"]?.reason == "旧的原因")
    }
}

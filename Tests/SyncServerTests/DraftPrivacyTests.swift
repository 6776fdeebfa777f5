import Foundation
import SyncStorage
import TestSupport
import Testing

@testable import SyncServer

/// A claim's materials and trail are private while the claim is a draft, and finding that out
/// looks up the one claim by its key instead of collecting every draft claim again.
@Suite struct DraftPrivacyTests {
    static let tables: [(table: RowTable, row: String)] = [
        (MaterialTable().rows, "m-draft"), (ServerTables.trail, "t-draft"),
    ]

    @Test func aDraftsMaterialAndTrailArePrivateUntilItIsAccepted() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let database = server.store.database
        try await database.write { db in
            let member = try #require(
                try db.fetchOne(
                    sql: "SELECT m.id, o.path FROM member m JOIN org o ON o.id = m.unit_id ORDER BY m.id LIMIT 1",
                    arguments: []))
            let (id, path): (String, String) = (try member["id"], try member["path"])
            for (claim, state) in [("c-draft", "draft"), ("c-accepted", "accepted")] {
                try db.execute(
                    sql: "INSERT INTO claim (id, member_id, org_path, state) VALUES (?, ?, ?, ?)",
                    arguments: [claim, id, path, state])
            }
            for (row, claim) in [("draft", "c-draft"), ("accepted", "c-accepted")] {
                try db.execute(
                    sql: """
                        INSERT INTO claim_material (id, claim_id, member_id, org_path, item, sha256, bytes, content_type)
                        VALUES (?, ?, ?, ?, '身份证', '00', 1, 'image/jpeg')
                        """, arguments: ["m-" + row, claim, id, path])
                try db.execute(
                    sql: """
                        INSERT INTO claim_trail (id, claim_id, member_id, org_path, step, state, operator, at)
                        VALUES (?, ?, ?, ?, '提交', 'draft', '张伟', '2026-12-07T08:00:00Z')
                        """, arguments: ["t-" + row, claim, id, path])
            }
        }
        func privacy() async throws -> [Bool] {
            try await database.read { db in
                try Self.tables.flatMap { table, row in
                    try [row, row.replacingOccurrences(of: "draft", with: "accepted")].map {
                        try #require(try table.load(db, recordId: $0)).isPrivate
                    }
                }
            }
        }
        #expect(try await privacy() == [true, false, true, false])
        try await database.write { db in
            try db.execute(sql: "UPDATE claim SET state = 'accepted' WHERE id = 'c-draft'", arguments: [])
        }
        #expect(try await privacy() == [false, false, false, false])
    }

    /// SQLite's plan of a material's or trail entry's load: its claim is searched by key, never
    /// scanned (the claim table has no index leading with the state).
    @Test(.enabled(if: !TestStore.isPostgres, "SQLite's query plan"))
    func aDraftsRowIsJudgedByItsClaimsKey() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        for (table, _) in Self.tables {
            let details = try await server.store.database.read { db in
                try db.fetchAll(sql: "EXPLAIN QUERY PLAN " + table.loadSQL, arguments: ["x"]).map {
                    try $0["detail"] as String
                }
            }
            #expect(details.contains { $0.hasPrefix("SEARCH claim USING") }, "\(details)")
            #expect(!details.contains { $0 == "SCAN claim" || $0.hasPrefix("SCAN claim ") }, "\(details)")
        }
    }
}

import Foundation
import MutualAidDomain
import SyncStorage
import TestSupport
import Testing

@testable import SyncServer

/// A pull page is read branch by branch (public, own records, filed subtree, own organisation).
/// Paged through with any page size, every account must get exactly the feed entries the
/// visibility rule gives it, in feed order, on either store, also after records were deleted.
@Suite struct FeedQueryTests {
    static let paths = [
        "/2602/", "/2602/sl/", "/2602/sl/sz/", "/2602/sl/sz/u1/", "/2602/sl/sz/u1x/", "/2602/slx/", "/2602/sl",
        "noslash", "/商洛/", "",
    ]

    /// The rule the one-`OR` query stated, over a feed row's columns.
    struct Row {
        var seq: Int64
        var orgPath: String
        var memberId: String?
        var memberOnly: Bool
        var isPublic: Bool
        var orgOnly: Bool

        func visible(to scope: Scope) -> Bool {
            if isPublic { return true }
            switch scope {
            case .member(let id): return memberId == id
            case .subtree(let path):
                return (!memberOnly && orgPath.utf8.starts(with: path.utf8)) || (orgOnly && orgPath == path)
            }
        }
    }

    @Test func everyPageSizeGivesEachAccountExactlyWhatItMaySee() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        var random = SplitMix64(environment: "FEED_QUERY_SEED", default: 15)
        var entries: [FeedFiling.Entry] = []
        for i in 0..<400 {
            entries.append(
                FeedFiling.Entry(
                    table: "enrolment", recordId: "fq-\(i % 150)", op: .upsert,
                    orgPath: Self.paths.randomElement(using: &random)!,
                    memberId: ["fq-m1", "fq-m2", nil].randomElement(using: &random)!,
                    memberOnly: Int.random(in: 0..<4, using: &random) == 0,
                    isPublic: Int.random(in: 0..<15, using: &random) == 0,
                    orgOnly: Int.random(in: 0..<6, using: &random) == 0, fields: "{}", clocks: "{}",
                    createdAt: "2026-12-05T00:00:00Z"))
        }
        let removed = Set((0..<150).filter { _ in Int.random(in: 0..<5, using: &random) == 0 }.map { "fq-\($0)" })
        let written = entries
        try await server.store.database.write { db in
            for (i, entry) in written.enumerated() {
                try FeedFiling.append(entry, db)
                // Deletions in between: a record's entries go with their filings.
                if i % 50 == 49 {
                    for id in removed { try FeedFiling.removeEntries(table: "enrolment", recordId: id, db) }
                }
            }
        }
        let feed = try await server.store.database.read { db in
            try db.fetchAll(
                sql: "SELECT seq, org_path, member_id, member_only, is_public, org_only FROM change_feed ORDER BY seq"
            ).map { row in
                Row(
                    seq: try row[0], orgPath: try row[1], memberId: try row[2], memberOnly: try row[3] as Int64 != 0,
                    isPublic: try row[4] as Int64 != 0, orgOnly: try row[5] as Int64 != 0)
            }
        }
        #expect(feed.filter { $0.memberId != nil && $0.memberId!.hasPrefix("fq-") }.count > 150)
        let scopes: [Scope] =
            [.member(memberId: "fq-m1"), .member(memberId: "fq-m2"), .member(memberId: "nobody"), .subtree(path: "/")]
            + Self.paths.map { .subtree(path: $0) }
        var sizes: Set<Int> = []
        for scope in scopes {
            let expected = feed.filter { $0.visible(to: scope) }.map(\.seq)
            sizes.insert(expected.count)
            let principal = Self.principal(scope)
            var got: [Int64] = []
            var cursor: Int64 = 0
            for _ in 0..<1_000 {
                let limit = Int.random(in: 1...9, using: &random)
                let page = try await server.store.pullPage(for: principal, after: cursor, limit: limit)
                #expect(page.entries.count <= limit)
                #expect(!page.entries.isEmpty || !page.hasMore)
                got += page.entries.map(\.seq)
                cursor = page.cursor
                if !page.hasMore { break }
            }
            #expect(got == expected, "\(scope)")
        }
        // The accounts saw feeds of many sizes, none of them the whole feed or nothing at all.
        #expect(sizes.count > 6)
    }

    /// Migration 0021 (pg 0014) files the feed an older server wrote as `FeedFiling` files
    /// new entries.
    @Test func theMigrationFilesAnOlderFeedAsTheServerDoes() async throws {
        let rows: [(path: String, memberOnly: Bool)] =
            Self.paths.map { ($0, false) } + [("/2602/sl/sz/u1/", true), ("/a//b/", false), ("//", false)]
        let filed = try await StepMigration.across(
            "feed_scope",
            write: { db in
                for (i, row) in rows.enumerated() {
                    try db.execute(
                        sql: """
                            INSERT INTO change_feed (tbl, record_id, op, org_path, member_only, fields, clocks, created_at)
                            VALUES ('enrolment', ?, 'upsert', ?, ?, '{}', '{}', 'x')
                            """, arguments: ["e-\(i)", row.path, row.memberOnly])
                }
            },
            read: { db in
                try db.fetchAll(
                    sql: "SELECT f.record_id, s.scope FROM feed_scope s JOIN change_feed f ON f.seq = s.seq"
                ).reduce(into: [String: Set<String>]()) { filed, row in
                    filed[try row[0] as String, default: []].insert(try row[1])
                }
            })
        var expected: [String: Set<String>] = [:]
        for (i, row) in rows.enumerated() where !row.memberOnly {
            expected["e-\(i)"] = Set(Scope.subtreePaths(filing: row.path))
        }
        #expect(filed == expected)
        #expect(expected["e-3"]?.count == 5)
    }

    static func principal(_ scope: Scope) -> Principal {
        switch scope {
        case .member(let id):
            Principal(
                accountId: "a-\(id)", login: id, name: "会员", role: .member, orgId: "u1", orgPath: "/2602/",
                orgLevel: .unit, memberId: id)
        case .subtree(let path):
            Principal(
                accountId: "a-staff", login: "staff", name: "经办人", role: .agent, orgId: "o", orgPath: path,
                orgLevel: .county, memberId: nil)
        }
    }
}

import Foundation
import GRDB
import MutualAidDomain
import TestSupport

/// P5's members: one per client, each a copy of the demo's 张伟 (member row, account with the
/// same password, enrolments and their feed rows) under a new id, login and ID number.
///
/// With two demo members shared by 200 clients, every device pulled the claims its 99 sibling
/// devices had filed (the same member's records), so P5 measured 20,000 cross-device pulls in the
/// bench process more than the server's submissions; a member's claims are normally filed from
/// one or two devices.
enum SeedMembers {
    static let template = (memberId: "m-001", login: "zhangwei", idNumber: "611002198503120017")

    static func login(_ i: Int) -> String { "p5-\(i)" }

    /// One SQL script, the same on SQLite and PostgreSQL (temporary copies keep every column,
    /// including those later migrations added).
    /// `paths`: the org paths of the template's feed rows that staff see, filed under their
    /// subtrees for the copies too (`Scope.subtreePaths`, as the store files every entry).
    static func script(count: Int, paths: [String]) -> String {
        var sql = ""
        for i in 0..<count {
            let member = "p5m-\(i)"
            let first17 = "6110021990" + String(format: "%07d", i)
            let idNumber = first17 + String(ResidentID.checkCharacter(for: first17)!)
            let swap = { (column: String) in
                "replace(replace(\(column), '\(template.memberId)', '\(member)'), '\(template.idNumber)', '\(idNumber)')"
            }
            sql += """
                CREATE TEMP TABLE bench_m AS SELECT * FROM member WHERE id = '\(template.memberId)';
                UPDATE bench_m SET id = '\(member)', id_number = '\(idNumber)';
                INSERT INTO member SELECT * FROM bench_m;
                DROP TABLE bench_m;
                CREATE TEMP TABLE bench_a AS SELECT * FROM account WHERE login = '\(template.login)';
                UPDATE bench_a SET id = 'p5a-\(i)', login = '\(login(i))', member_id = '\(member)', mobile = NULL;
                INSERT INTO account SELECT * FROM bench_a;
                DROP TABLE bench_a;
                CREATE TEMP TABLE bench_e AS SELECT * FROM enrolment WHERE member_id = '\(template.memberId)';
                UPDATE bench_e SET id = \(swap("id")), member_id = '\(member)', id_number = '\(idNumber)';
                INSERT INTO enrolment SELECT * FROM bench_e;
                DROP TABLE bench_e;
                INSERT INTO change_feed (tbl, record_id, op, org_path, member_id, member_only, is_public, fields, clocks,
                    created_at, member_fields, member_clocks)
                SELECT tbl, \(swap("record_id")), op, org_path, '\(member)', member_only, is_public, \(swap("fields")),
                    clocks, created_at, \(swap("member_fields")), member_clocks
                FROM change_feed WHERE member_id = '\(template.memberId)' ORDER BY seq;

                """
        }
        for path in paths {
            for scope in Scope.subtreePaths(filing: path) {
                sql += """
                    INSERT INTO feed_scope (scope, seq) SELECT '\(scope)', seq FROM change_feed
                    WHERE member_id LIKE 'p5m-%' AND member_only = 0 AND org_path = '\(path)';

                    """
            }
        }
        return sql
    }

    static let filedPathsSQL =
        "SELECT DISTINCT org_path FROM change_feed WHERE member_id = '\(template.memberId)' AND member_only = 0"

    /// Into the embedded store, before the server starts.
    static func intoSQLite(_ path: String, count: Int) throws {
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: script(count: count, paths: try String.fetchAll(db, sql: filedPathsSQL)))
        }
    }

    /// Into a PostgreSQL store, in one transaction.
    static func intoPostgres(_ database: String, count: Int, in directory: URL) throws {
        let listed = try run("/usr/bin/psql", ["-X", "-q", "-A", "-t", database, "-c", filedPathsSQL], timeout: 60)
        guard listed.status == 0 else { throw SupportError("psql seed: \(listed.output)") }
        let paths = listed.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        let file = directory.appendingPathComponent("seed-members-\(UUID().uuidString.prefix(6)).sql")
        try script(count: count, paths: paths).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try run(
            "/usr/bin/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", database, "-f", file.path], timeout: 120)
        guard result.status == 0 else { throw SupportError("psql seed: \(result.output)") }
    }
}

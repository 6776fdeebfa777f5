import Foundation
import GRDB
import MutualAidDomain
import SyncStorage
import TestSupport

/// Bulk data for the benchmarks, written straight into the server's store before it starts
/// (the demo loader makes records one by one; 100,000 that way would measure the loader).
enum Seed {
    static func enrolments(serverDatabase path: String, memberId: String, count: Int) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            guard
                let m = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT m.name, m.id_number, o.path, o.name AS unit FROM member m JOIN org o ON o.id = m.unit_id WHERE m.id = ?
                        """, arguments: [memberId])
            else { throw SupportError("no member \(memberId)") }
            let encoder = JSONEncoder()
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO enrolment (id, member_id, org_path, unit_name, insured_name, relation, id_number, activity_id,
                        activity_name, period_start, period_end, shares, fee, renewal, clocks) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                    """)
            let feed = try db.makeStatement(
                sql: """
                    INSERT INTO change_feed (tbl, record_id, op, org_path, member_id, member_only, is_public, fields, clocks, created_at)
                    VALUES ('enrolment', ?, 'upsert', ?, ?, 0, 0, ?, ?, '2026-01-01T00:00:00Z')
                    """)
            let file = try db.makeStatement(sql: "INSERT INTO feed_scope (scope, seq) VALUES (?, last_insert_rowid())")
            let scopes = Scope.subtreePaths(filing: m["path"])
            let stamp = "0001790000000000-00000-server"
            for i in 0..<count {
                let id = "bench-e-\(i)"
                let start = CalendarDate(year: 2000 + i % 26, month: 1 + i % 12, day: 1 + i % 28)!
                let fields: FieldMap = [
                    "memberId": .string(memberId), "unitName": .string(m["unit"]), "insuredName": .string(m["name"]),
                    "relation": .string("本人"), "idNumber": .string(m["id_number"]),
                    "activityId": .string("act-staff-combo"),
                    "activityName": .string("职工综合(住院+意外)"), "periodStart": .string(start.description),
                    "periodEnd": .string(start.adding(days: 364).description), "shares": .int(1),
                    "fee": .string("95.00"),
                    "renewal": .int(0),
                ]
                let clocks = String(decoding: try encoder.encode(fields.mapValues { _ in stamp }), as: UTF8.self)
                try insert.execute(arguments: [
                    id, memberId, m["path"], m["unit"], m["name"], "本人", m["id_number"], "act-staff-combo",
                    "职工综合(住院+意外)", start.description, start.adding(days: 364).description, 1, "95.00", 0, clocks,
                ])
                try feed.execute(arguments: [
                    id, m["path"], memberId, String(decoding: try encoder.encode(fields), as: UTF8.self), clocks,
                ])
                for scope in scopes { try file.execute(arguments: [scope]) }
            }
        }
    }

    /// The baseline of P2 and P3: the same number of rows bulk-inserted into SQLite, the median
    /// of three runs (one run of the small size lasts tens of milliseconds, and a single fsync
    /// moved it by half).
    static func bulkInsertRowsPerSecond(count: Int, in directory: URL) throws -> Double {
        let runs = try (0..<3).map { _ in try bulkInsertOnce(count: count, in: directory) }
        return runs.sorted()[1]
    }

    private static func bulkInsertOnce(count: Int, in directory: URL) throws -> Double {
        // Durable as the stores it is measured against: FULL, one fsync per commit.
        let pool = try DurableSQLite.pool(
            path: directory.appendingPathComponent("baseline-\(UUID().uuidString.prefix(6)).sqlite").path)
        try pool.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE enrolment (id TEXT PRIMARY KEY, member_id TEXT, unit_name TEXT, insured_name TEXT, relation TEXT,
                        id_number TEXT, activity_id TEXT, activity_name TEXT, period_start TEXT, period_end TEXT, shares INTEGER,
                        fee TEXT, renewal INTEGER, clocks TEXT)
                    """)
        }
        let (_, seconds) = try time {
            try pool.write { db in
                let insert = try db.makeStatement(sql: "INSERT INTO enrolment VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
                for i in 0..<count {
                    try insert.execute(arguments: [
                        "bench-e-\(i)", "m-001", "商洛市商州区城建公司", "张伟", "本人", "611002198503120017",
                        "act-staff-combo", "职工综合(住院+意外)", "2026-01-01", "2026-12-31", 1, "95.00", 0, "{}",
                    ])
                }
            }
        }
        return Double(count) / seconds
    }

    /// P3's baseline on PostgreSQL: as many rows of the same shape loaded by `COPY` (PostgreSQL's
    /// bulk insert) into a table of the same database, psql's start included.
    static func postgresBulkInsertRowsPerSecond(count: Int, database: String) throws -> Double {
        let table = "bench_baseline_\(UInt32.random(in: 0...UInt32.max))"
        let made = try run(
            "/usr/bin/psql",
            [
                "-X", "-q", database, "-c",
                """
                CREATE TABLE \(table) (id TEXT PRIMARY KEY, member_id TEXT, unit_name TEXT, insured_name TEXT, relation TEXT,
                    id_number TEXT, activity_id TEXT, activity_name TEXT, period_start TEXT, period_end TEXT, shares INTEGER,
                    fee TEXT, renewal INTEGER, clocks TEXT)
                """,
            ])
        guard made.status == 0 else { throw SupportError("psql: \(made.output)") }
        var rows = ""
        for i in 0..<count {
            rows +=
                "bench-e-\(i)\tm-001\t商洛市商州区城建公司\t张伟\t本人\t611002198503120017\tact-staff-combo\t"
                + "职工综合(住院+意外)\t2026-01-01\t2026-12-31\t1\t95.00\t0\t{}\n"
        }
        let (copied, seconds) = try time {
            try run(
                "/usr/bin/psql", ["-X", "-q", database, "-c", "COPY \(table) FROM STDIN"], stdin: rows, timeout: 300)
        }
        guard copied.status == 0 else { throw SupportError("psql COPY: \(copied.output)") }
        return Double(count) / seconds
    }

    /// The baseline of P1: the same field update with no change capture, one transaction each.
    static func plainUpdatesSeconds(count: Int, in directory: URL) throws -> Double {
        // Durable as the stores it is measured against: FULL, one fsync per commit.
        let pool = try DurableSQLite.pool(
            path: directory.appendingPathComponent("plain-\(UUID().uuidString.prefix(6)).sqlite").path)
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE claim (id TEXT PRIMARY KEY, hospital TEXT)")
            try db.execute(sql: "INSERT INTO claim VALUES ('c', '')")
        }
        return try time {
            for i in 0..<count {
                try pool.write { db in
                    try db.execute(sql: "UPDATE claim SET hospital = ? WHERE id = 'c'", arguments: ["医院\(i)"])
                }
            }
        }.1
    }
}

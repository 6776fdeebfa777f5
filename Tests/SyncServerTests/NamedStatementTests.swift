import Foundation
import SyncStorage
import Synchronization
import TestSupport
import Testing

@testable import PostgresStorage

/// The store's statements run again go to PostgreSQL as named prepared statements, parsed and
/// planned once per connection, and answer exactly as unnamed ones do.
@Suite struct NamedStatementTests {
    /// A store of one connection, so every statement meets the same connection, with a table
    /// of its own.
    static func store() async throws -> PostgresDatabase {
        let database = PostgresDatabase(url: try PostgresURL(try TestStore.newPostgresDatabase()), poolSize: 1)
        try await database.write { db in
            try db.execute(sql: "CREATE TABLE probe (id BIGINT PRIMARY KEY, note TEXT, size BIGINT)", arguments: [])
        }
        return database
    }

    static func args(_ values: SQLValue...) -> SQLArguments { SQLArguments(values) }

    static func prepared(_ database: PostgresDatabase) async throws -> [String] {
        try await database.read { db in
            try db.fetchAll(sql: "SELECT statement FROM pg_prepared_statements ORDER BY prepare_time", arguments: [])
                .map { $0.values.first.flatMap { if case .text(let s) = $0 { s } else { nil } } ?? "" }
        }
    }

    @Test(.enabled(if: TestStore.isPostgres, "PostgreSQL's prepared statements"))
    func aStatementRunAgainIsPreparedOnceAndAnswersAsBefore() async throws {
        let database = try await Self.store()
        defer { Task { await database.close() } }
        for id in 1...4 {
            let changed = try await database.write { db in
                try db.execute(
                    sql: "INSERT INTO probe (id, note, size) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    arguments: Self.args(.integer(Int64(id)), .text("第\(id)条"), .integer(Int64(id * 10))))
                return db.changesCount
            }
            #expect(changed == 1)
        }
        // A conflicting insert changes nothing, on the named statement as on the unnamed one.
        let again = try await database.write { db in
            try db.execute(
                sql: "INSERT INTO probe (id, note, size) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: Self.args(.integer(2), .text("重复"), .integer(0)))
            return db.changesCount
        }
        #expect(again == 0)
        for id in 1...4 {
            let row = try await database.read { db in
                try db.fetchOne(
                    sql: "SELECT note, size FROM probe WHERE id = ?", arguments: Self.args(.integer(Int64(id))))
            }
            #expect(row?.values == [SQLValue.text("第\(id)条"), .integer(Int64(id * 10))])
        }
        let statements = try await Self.prepared(database)
        #expect(statements.filter { $0.contains("INSERT INTO probe") }.count == 1)
        #expect(statements.filter { $0.contains("SELECT note, size FROM probe") }.count == 1)
    }

    /// The same text bound with a NULL is another statement (its parameter goes untyped), and an
    /// UPDATE's count is the rows it changed, on its first (unnamed) use and after, with the
    /// text ending in a line comment.
    @Test(.enabled(if: TestStore.isPostgres, "PostgreSQL's prepared statements"))
    func countsAndNullsAnswerAsUnnamedStatementsDo() async throws {
        let database = try await Self.store()
        defer { Task { await database.close() } }
        try await database.write { db in
            for id in 1...6 {
                try db.execute(
                    sql: "INSERT INTO probe (id, note, size) VALUES (?, ?, ?)",
                    arguments: Self.args(
                        .integer(Int64(id)), id % 2 == 0 ? .null : .text("单"), id % 3 == 0 ? .null : .integer(5)))
            }
        }
        var counts: [Int] = []
        let updates: [(SQLValue, Int64)] = [
            (.integer(5), 2), (.null, 3), (.integer(5), 4), (.null, 5), (.integer(7), 6), (.integer(8), 1),
        ]
        for (size, last) in updates {
            counts.append(
                try await database.write { db in
                    try db.execute(
                        sql: "UPDATE probe SET size = ? WHERE id <= ? -- the first rows\n",
                        arguments: Self.args(size, .integer(last)))
                    return db.changesCount
                })
        }
        #expect(counts == [2, 3, 4, 5, 6, 1])
        let sizes = try await database.read { db in
            try db.fetchValues(Int64.self, sql: "SELECT size FROM probe ORDER BY id", arguments: [])
        }
        #expect(sizes == [8, 7, 7, 7, 7, 7])
    }

    /// postgres-nio keeps a failed preparation for the connection's life; a statement first
    /// named inside a transaction already aborted would fail on that connection for ever if
    /// its name were kept.
    @Test(.enabled(if: TestStore.isPostgres, "PostgreSQL's prepared statements"))
    func aStatementWhosePreparationFailedIsPreparedAnew() async throws {
        let database = try await Self.store()
        defer { Task { await database.close() } }
        let select = "SELECT note FROM probe WHERE id = ?"
        try await database.write { db in
            try db.execute(sql: "INSERT INTO probe (id, note) VALUES (1, '一')", arguments: [])
            _ = try db.fetchAll(sql: select, arguments: Self.args(.integer(1)))  // its first use goes unnamed
        }
        var failed = false
        do {
            try await database.write { db in
                // The duplicate aborts the transaction; the select's preparation then fails too.
                _ = try? db.execute(sql: "INSERT INTO probe (id, note) VALUES (1, '二')", arguments: [])
                _ = try db.fetchAll(sql: select, arguments: Self.args(.integer(1)))
            }
        } catch {
            failed = true
        }
        #expect(failed)
        let note = try await database.read { db in try db.fetchOne(sql: select, arguments: Self.args(.integer(1))) }
        #expect(note?.values == [SQLValue.text("一")])
        let notes = try await database.read { db in try db.fetchAll(sql: select, arguments: Self.args(.integer(1))) }
        #expect(notes.count == 1)
    }

    /// A refusal on the first named use is the execution's: the name is kept, so a statement
    /// refused again and again does not leave a new prepared statement in its backend each time.
    @Test(.enabled(if: TestStore.isPostgres, "PostgreSQL's prepared statements"))
    func aRefusedStatementKeepsItsName() async throws {
        let database = try await Self.store()
        defer { Task { await database.close() } }
        let insert = "INSERT INTO probe (id, note) VALUES (?, ?)"
        for round in 0..<4 {
            var refused = false
            do {
                try await database.write { db in
                    try db.execute(sql: insert, arguments: Self.args(.integer(1), .text("第\(round)次")))
                }
            } catch is SQLConstraintViolation {
                refused = true
            }
            #expect(refused == (round > 0))
        }
        let statements = try await Self.prepared(database)
        #expect(statements.filter { $0.contains("INSERT INTO probe") }.count == 1)
    }

    @Test func whichStatementsGoNamed() {
        #expect(StatementKind.returnsNoRows("  update probe SET size = 1"))
        #expect(StatementKind.returnsNoRows("INSERT INTO probe VALUES (1)"))
        #expect(!StatementKind.returnsNoRows("DELETE FROM probe RETURNING id"))
        #expect(!StatementKind.returnsNoRows("SELECT pg_advisory_xact_lock(1)"))
        #expect(!StatementKind.returnsNoRows("SAVEPOINT store_savepoint_1"))
        #expect(StatementKind.isQuery("WITH x AS (SELECT 1) SELECT * FROM x"))
        #expect(StatementKind.isQuery("\nselect 1"))
        #expect(!StatementKind.isQuery("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        #expect(!StatementKind.isQuery("SET LOCAL synchronous_commit TO OFF"))
        #expect(!StatementKind.isQuery("COMMIT"))
    }

    @Test func aTextIsNamedFromItsSecondUseWithinTheCapacity() {
        let cache = StatementCache(capacity: 2)
        let types = PostgresValues.types(Self.args(.integer(1)))
        #expect(cache.plan("SELECT ?", types: types) == .unnamed(sql: "SELECT $1"))
        guard case .named(let first, "SELECT $1", let key) = cache.plan("SELECT ?", types: types) else {
            Issue.record("the second use is not named")
            return
        }
        #expect(cache.plan("SELECT ?", types: types) == .named(name: first, sql: "SELECT $1", key: key))
        // A failure before any success names it anew; after a success it keeps its name.
        cache.failed(key)
        guard case .named(let second, _, _) = cache.plan("SELECT ?", types: types) else {
            Issue.record("not named after a failure")
            return
        }
        #expect(second != first)
        cache.succeeded(key)
        cache.failed(key)
        #expect(cache.plan("SELECT ?", types: types) == .named(name: second, sql: "SELECT $1", key: key))
        // Another type of argument is another statement; past the capacity texts stay unnamed.
        _ = cache.plan("SELECT ?", types: [.null])
        if case .unnamed = cache.plan("SELECT ?", types: [.null]) { Issue.record("the second text is not named") }
        // A text that does not go named is sent as given, every time.
        #expect(cache.plan("BEGIN", types: []) == .asGiven)
        #expect(cache.plan("BEGIN", types: []) == .asGiven)
        #expect(cache.plan("SELECT 1", types: [], counted: true) == .asGiven)
        _ = cache.plan("SELECT ? + 1", types: types)
        #expect(cache.plan("SELECT ? + 1", types: types) == .unnamed(sql: "SELECT $1 + 1"))
    }
}

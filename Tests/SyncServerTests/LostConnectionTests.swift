import Foundation
import Logging
import NIOPosix
import PostgresNIO
import SyncStorage
import Synchronization
import TestSupport
import Testing

@testable import PostgresStorage

/// A statement never waits for ever on a PostgreSQL connection that is gone, and the store goes
/// on with a new one. A failing check here records its issue and returns: a statement still
/// waiting holds the store's only connection, and waiting for it would hang the whole run.
@Suite struct LostConnectionTests {
    static func args(_ values: SQLValue...) -> SQLArguments { SQLArguments(values) }

    /// What `work` ended with, or nil if it still runs after `seconds`; it runs on a thread of
    /// its own, so a wait that never ends cannot hold the test's threads.
    static func outcome<T: Sendable>(
        within seconds: Int, _ work: @escaping @Sendable () throws -> T
    ) async throws -> Result<T, any Error>? {
        let outcome = Mutex<Result<T, any Error>?>(nil)
        Thread {
            let result = Result { try work() }
            outcome.withLock { $0 = result }
        }.start()
        _ = try await Deadline(seconds: Double(seconds)).poll { outcome.withLock { $0 } != nil }
        return outcome.withLock { $0 }
    }

    /// postgres-nio drops a statement that reaches a connection after it finished closing and
    /// never answers it. The store's wait ends as a lost connection (`PostgresUnavailable`,
    /// answered 503) instead: an unnamed statement, and the same text again, now named.
    @Test(.enabled(if: TestStore.isPostgres, "PostgreSQL's connections"))
    func aStatementSentToAClosedConnectionFailsInsteadOfWaiting() async throws {
        let url = try PostgresURL(try TestStore.newPostgresDatabase())
        let logger = Logger(label: "lost-connection-test")
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: url.configuration, id: 1, logger: logger)
        try await connection.close()
        let statements = StatementCache()
        let types = PostgresValues.types(Self.args(.integer(7)))
        for use in 1...2 {
            let ended = try await Self.outcome(within: 300) {
                try PostgresSQLConnection(connection, statements: statements, logger: logger)
                    .fetchAll("SELECT ?::bigint AS n", Self.args(.integer(7)))
            }
            guard let ended else {
                Issue.record("use \(use): the statement on the closed connection still waits")
                return
            }
            guard case .failure(let error) = ended else {
                Issue.record("use \(use): a closed connection answered")
                return
            }
            #expect(error is PostgresUnavailable, "use \(use): \(error)")
        }
        // The second use went named: named statements are the texts used before.
        guard case .named = statements.plan("SELECT ?::bigint AS n", types: types) else {
            Issue.record("the second use was not a named statement")
            return
        }
    }

    /// A connection lost in the middle of a named statement (its backend ended) fails that
    /// statement instead of leaving it waiting, and the store goes on with a new connection, on
    /// which the text is prepared anew. The statement ends its own backend when asked to, so
    /// the loss falls inside it whatever the machine's load.
    @Test(.enabled(if: TestStore.isPostgres, "PostgreSQL's prepared statements"))
    func aConnectionLostUnderANamedStatementFailsItAndTheStoreGoesOn() async throws {
        let database = try await NamedStatementTests.store()
        defer { Task { await database.close() } }
        try await database.write { db in
            try db.execute(sql: "INSERT INTO probe (id, note) VALUES (1, '一')", arguments: [])
        }
        @Sendable func note(endingBackend end: Bool) async throws -> SQLValue? {
            try await database.read { db in
                try db.fetchOne(
                    sql: """
                        SELECT note, CASE WHEN ? = 1 THEN pg_terminate_backend(pg_backend_pid()) END
                        FROM probe WHERE id = ?
                        """,
                    arguments: Self.args(.integer(end ? 1 : 0), .integer(1)))?
                    .values.first
            }
        }
        @Sendable func backend() async throws -> Int64 {
            try await database.read { db in
                try db.fetchValue(Int64.self, sql: "SELECT pg_backend_pid()", arguments: []) ?? 0
            }
        }
        for _ in 0..<2 { #expect(try await note(endingBackend: false) == .text("一")) }  // named from now on
        let lost = try await backend()
        let outcome = Mutex<Result<SQLValue?, any Error>?>(nil)
        Task {
            let result: Result<SQLValue?, any Error>
            do { result = .success(try await note(endingBackend: true)) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
        }
        // Generous: beside the whole PostgreSQL suite, Swift's two shared threads can be held
        // for a minute (25 s and 41 s measured). The deadline is only there so that a statement
        // left waiting fails the test, not the run.
        let started = ContinuousClock.now
        _ = try await Deadline(seconds: 300).poll { outcome.withLock { $0 } != nil }
        print("LostConnectionTests: the lost statement ended after \(ContinuousClock.now - started)")
        guard let ended = outcome.withLock({ $0 }) else {
            Issue.record("the statement on the lost connection still waits")
            return
        }
        if case .success = ended { Issue.record("the statement on the lost connection answered") }
        for _ in 0..<3 { #expect(try await note(endingBackend: false) == .text("一")) }
        #expect(try await backend() != lost)
        let statements = try await NamedStatementTests.prepared(database)
        #expect(statements.filter { $0.contains("pg_terminate_backend") }.count == 1)
    }
}

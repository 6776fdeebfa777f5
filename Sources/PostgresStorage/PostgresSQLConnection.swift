import Foundation
import Logging
import PostgresNIO
import SyncStorage

/// `SQLConnection` over one leased PostgreSQL connection inside one transaction. The store's
/// bodies are synchronous, so they run on a thread of the database's own thread pool and each
/// statement waits there for its answer (never on an event loop). The statements the store
/// runs again and again go as named prepared statements (`StatementCache`).
final class PostgresSQLConnection: SQLConnection {
    private let connection: PostgresConnection
    private let statements: StatementCache
    private let logger: Logger
    private var savepointDepth = 0
    private(set) var changesCount = 0

    init(_ connection: PostgresConnection, statements: StatementCache, logger: Logger) {
        self.connection = connection
        self.statements = statements
        self.logger = logger
    }

    var dialect: SQLDialect { .postgres }

    func execute(_ sql: String, _ arguments: SQLArguments) throws {
        let types = PostgresValues.types(arguments)
        let plan = statements.plan(sql, types: types, counted: true)
        guard plan != .asGiven else {
            changesCount = try run(sql, arguments).metadata.rows ?? 0
            return
        }
        // Sent as a count of the rows it changed: postgres-nio answers a named statement's
        // rows but not its command tag.
        guard case .integer(let count) = try rows(sql, plan, arguments, types).first?.values.first else {
            throw PostgresStoreError(sqlState: nil, summary: "a counted statement answered no count")
        }
        changesCount = Int(count)
    }

    func fetchAll(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        let types = PostgresValues.types(arguments)
        return try rows(sql, statements.plan(sql, types: types, counted: false), arguments, types)
    }

    /// The rows of a statement sent as `plan` says: named once this connection has run it before.
    private func rows(
        _ sql: String, _ plan: StatementCache.Plan, _ arguments: SQLArguments, _ types: [PostgresDataType]
    ) throws -> [SQLRow] {
        switch plan {
        case .asGiven:
            return try Self.sqlRows(run(sql, arguments).rows)
        case .unnamed(let numbered):
            return try Self.sqlRows(
                run(PostgresQuery(unsafeSQL: numbered, binds: PostgresValues.bindings(arguments))).rows)
        case .named(let name, let numbered, let key):
            let text = NamedText(name: name, sql: numbered, types: types)
            let bindings = PostgresValues.bindings(arguments)
            return try runNamed(text, key) { [connection, logger] in
                var rows: [PostgresRow] = []
                for try await row in try await connection.execute(NamedQuery(bindings: bindings), logger: logger) {
                    rows.append(row)
                }
                return try Self.sqlRows(rows)
            }
        }
    }

    private static func sqlRows(_ rows: [PostgresRow]) throws -> [SQLRow] {
        guard let first = rows.first else { return [] }
        let columns = first.map { $0.columnName.lowercased() }
        return try rows.map { row in SQLRow(columns: columns, values: try row.map(PostgresValues.value)) }
    }

    func fetchOne(_ sql: String, _ arguments: SQLArguments) throws -> SQLRow? {
        // The store's single-row queries are keyed or carry their own LIMIT.
        try fetchAll(sql, arguments).first
    }

    func inSavepoint(_ body: () throws -> Bool) throws {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "store_savepoint_\(savepointDepth)"
        try run("SAVEPOINT \(name)", [])
        let keep: Bool
        do {
            keep = try body()
        } catch {
            // PostgreSQL refuses every statement after an error until the savepoint is undone.
            _ = try? run("ROLLBACK TO SAVEPOINT \(name)", [])
            _ = try? run("RELEASE SAVEPOINT \(name)", [])
            throw error
        }
        if !keep { try run("ROLLBACK TO SAVEPOINT \(name)", []) }
        try run("RELEASE SAVEPOINT \(name)", [])
    }

    /// Runs one statement (with `?` placeholders) unnamed and waits for its whole answer.
    @discardableResult
    func run(_ sql: String, _ arguments: SQLArguments) throws -> PostgresQueryResult {
        try run(PostgresQuery(unsafeSQL: SQLText.numberingPlaceholders(sql), binds: PostgresValues.bindings(arguments)))
    }

    private func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
        do {
            return try AnswerWait.answer(connection.query(query, logger: logger), on: connection)
        } catch let error as PSQLError {
            throw Self.storeError(error)
        }
    }

    /// Runs a named statement on this thread (`CallingThreadExecutor`), preparing it first if
    /// this connection has not.
    private func runNamed<T: Sendable>(
        _ text: NamedText, _ key: StatementCache.Key, _ body: @escaping @Sendable () async throws -> T
    ) throws -> T {
        do {
            let result = try CallingThreadExecutor.run(on: connection) {
                try await NamedText.$current.withValue(text, operation: body)
            }
            statements.succeeded(key)
            return result
        } catch let error as PSQLError {
            let storeError = Self.storeError(error)
            // A value or constraint refused (classes 22, 23) is the execution's error: the
            // statement was prepared. Any other may be its preparation's.
            if storeError is SQLConstraintViolation { statements.succeeded(key) } else { statements.failed(key) }
            throw storeError
        } catch {
            statements.failed(key)
            throw error
        }
    }

    private static func storeError(_ error: PSQLError) -> any Error {
        let storeError = PostgresStoreError(error)
        return storeError.isConstraintViolation ? SQLConstraintViolation() : storeError
    }
}

/// What went wrong with a statement, without its values (they may be member data): a broken
/// constraint becomes the store-neutral `SQLConstraintViolation`.
public struct PostgresStoreError: Error, CustomStringConvertible {
    public let sqlState: String?
    public let summary: String

    init(sqlState: String?, summary: String) {
        self.sqlState = sqlState
        self.summary = summary
    }

    init(_ error: PSQLError) {
        sqlState = error.serverInfo?[.sqlState]
        // The server's message may quote a value after a colon ("invalid input syntax …: "…"").
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        summary = String(message.prefix { $0 != ":" })
    }

    public var description: String { "PostgreSQL: \(summary) (SQLSTATE \(sqlState ?? "none"))" }

    /// Class 23 is integrity constraint violation (unique, not null, check, foreign key); class
    /// 22 a value the column cannot hold (a NUL in text, a number out of range): both refuse
    /// the data, not the server.
    var isConstraintViolation: Bool { sqlState?.hasPrefix("23") == true || sqlState?.hasPrefix("22") == true }
}

import Foundation
import Logging
import PostgresNIO
import SyncStorage

/// `SQLConnection` over one leased PostgreSQL connection inside one transaction. The store's
/// bodies are synchronous, so they run on a thread of the database's own thread pool and each
/// statement waits there for its answer (never on an event loop).
final class PostgresSQLConnection: SQLConnection {
    private let connection: PostgresConnection
    private let logger: Logger
    private var savepointDepth = 0
    private(set) var changesCount = 0

    init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    var dialect: SQLDialect { .postgres }

    func execute(_ sql: String, _ arguments: SQLArguments) throws {
        let result = try run(sql, arguments)
        changesCount = result.metadata.rows ?? 0
    }

    func fetchAll(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        let result = try run(sql, arguments)
        guard let first = result.rows.first else { return [] }
        let columns = first.map { $0.columnName.lowercased() }
        return try result.rows.map { row in SQLRow(columns: columns, values: try row.map(PostgresValues.value)) }
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

    /// Runs one statement (with `?` placeholders) and waits for its whole answer.
    @discardableResult
    func run(_ sql: String, _ arguments: SQLArguments) throws -> PostgresQueryResult {
        let query = PostgresQuery(
            unsafeSQL: SQLText.numberingPlaceholders(sql), binds: PostgresValues.bindings(arguments))
        do {
            return try connection.query(query, logger: logger).wait()
        } catch let error as PSQLError {
            let storeError = PostgresStoreError(error)
            if storeError.isConstraintViolation { throw SQLConstraintViolation() }
            throw storeError
        }
    }
}

/// What went wrong with a statement, without its values (they may be member data): a broken
/// constraint becomes the store-neutral `SQLConstraintViolation`.
public struct PostgresStoreError: Error, CustomStringConvertible {
    public let sqlState: String?
    public let summary: String

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

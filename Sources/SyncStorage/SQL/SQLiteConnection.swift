import Foundation
import GRDB

/// `SQLConnection` over a GRDB connection: every statement goes through GRDB's statement
/// cache (the same few statements run for each change of a batch).
public struct SQLiteConnection: SQLConnection {
    public let db: Database

    public init(_ db: Database) { self.db = db }

    public var dialect: SQLDialect { .sqlite }

    public func execute(_ sql: String, _ arguments: SQLArguments) throws {
        try translatingErrors {
            try SQLiteDirectBinding.execute(db.cachedStatement(sql: sql), arguments.values)
        }
    }

    public func fetchAll(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        try translatingErrors {
            let statement = try db.cachedStatement(sql: sql)
            return try SQLiteDirectBinding.fetch(statement, arguments.values, columns: Self.columns(statement))
        }
    }

    public func fetchOne(_ sql: String, _ arguments: SQLArguments) throws -> SQLRow? {
        try translatingErrors {
            let statement = try db.cachedStatement(sql: sql)
            return try SQLiteDirectBinding.fetch(
                statement, arguments.values, columns: Self.columns(statement), limit: 1
            )
            .first
        }
    }

    /// Lower-cased column names, as PostgreSQL gives unquoted ones. The statement keeps its
    /// names, so names already in lower case (nearly all) are shared, not copied per call.
    private static func columns(_ statement: Statement) -> [String] {
        let names = statement.columnNames
        guard names.contains(where: { $0.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } })
        else { return names }
        return names.map { $0.lowercased() }
    }

    public var changesCount: Int { db.changesCount }

    /// Inside a transaction (every store write) through cached statements: GRDB's own
    /// `inSavepoint` parses its two statements again at every call, once per pushed change.
    public func inSavepoint(_ body: () throws -> Bool) throws {
        guard db.isInsideTransaction else {
            try db.inSavepoint { try body() ? .commit : .rollback }
            return
        }
        try db.cachedStatement(sql: "SAVEPOINT store").execute()
        let keep: Bool
        do {
            keep = try body()
        } catch {
            try? db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT store").execute()
            try? db.cachedStatement(sql: "RELEASE SAVEPOINT store").execute()
            throw error
        }
        if !keep { try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT store").execute() }
        try db.cachedStatement(sql: "RELEASE SAVEPOINT store").execute()
    }

    /// GRDB's constraint error becomes the store-neutral one; every other error passes as it is.
    private func translatingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw SQLConstraintViolation()
        }
    }

    public static func value(_ stored: DatabaseValue) -> SQLValue {
        switch stored.storage {
        case .null: .null
        case .int64(let i): .integer(i)
        case .double(let d): .real(d)
        case .string(let s): .text(s)
        case .blob(let data): .blob(data)
        }
    }
}

/// `SQLDatabase` over a GRDB pool: GRDB's one writer, WAL readers. Writes that wait for the
/// writer together are committed together (`GroupCommit`).
public struct SQLiteDatabase: SQLDatabase {
    public let pool: DatabasePool
    private let group: GroupCommit?

    /// `groupCommit: false` commits each write by itself (for comparing the two).
    public init(_ pool: DatabasePool, groupCommit: Bool = SQLiteDatabase.groupCommitByDefault) {
        self.pool = pool
        group = groupCommit ? GroupCommit(pool: pool) : nil
    }

    /// On unless `SYNC_SQLITE_GROUP_COMMIT=off` (the benchmark compares both in one run).
    public static var groupCommitByDefault: Bool {
        ProcessInfo.processInfo.environment["SYNC_SQLITE_GROUP_COMMIT"] != "off"
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await pool.read { db in try body(SQLiteConnection(db)) }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        guard let group else { return try await pool.write { db in try body(SQLiteConnection(db)) } }
        return try await group.write { db in try body(SQLiteConnection(db)) }
    }

    /// A write whose commit need not wait for the disk (`DurableSQLite.writeBookkeeping`).
    public func writeBookkeeping<T: Sendable>(
        _ body: @escaping @Sendable (any SQLConnection) throws -> T
    ) async throws -> T {
        try await DurableSQLite.writeBookkeeping(pool) { db in try body(SQLiteConnection(db)) }
    }
}

/// A connection inside one transaction of a store, reached only within `SQLDatabase.read {}`
/// or `write {}`. The business code of the case store is written once against it; SQLite
/// (GRDB) and PostgreSQL (postgres-nio) implement it. SQL uses `?` placeholders and the
/// common dialect of both (`ON CONFLICT … DO …`, `TRUE`, no `INSERT OR …`); values are always
/// bound, never spliced into the text.
public protocol SQLConnection {
    var dialect: SQLDialect { get }
    func execute(_ sql: String, _ arguments: SQLArguments) throws
    func fetchAll(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow]
    func fetchOne(_ sql: String, _ arguments: SQLArguments) throws -> SQLRow?
    /// Rows inserted, changed or deleted by the last `execute`.
    var changesCount: Int { get }
    /// Runs `body` in a savepoint; its changes are kept when it answers true, undone when it
    /// answers false or throws.
    func inSavepoint(_ body: () throws -> Bool) throws
}

extension SQLConnection {
    // GRDB's labels, so statements read the same in every store's code.
    public func execute(sql: String, arguments: SQLArguments = []) throws { try execute(sql, arguments) }

    public func fetchAll(sql: String, arguments: SQLArguments = []) throws -> [SQLRow] {
        try fetchAll(sql, arguments)
    }

    public func fetchOne(sql: String, arguments: SQLArguments = []) throws -> SQLRow? {
        try fetchOne(sql, arguments)
    }

    /// The first column of the first row, nil when there is no row or it is NULL.
    public func fetchValue<T: SQLReadable>(_ type: T.Type, sql: String, arguments: SQLArguments = []) throws -> T? {
        guard let row = try fetchOne(sql, arguments) else { return nil }
        return try row[0]
    }

    /// The first column of every row (NULLs left out).
    public func fetchValues<T: SQLReadable>(_ type: T.Type, sql: String, arguments: SQLArguments = []) throws -> [T] {
        try fetchAll(sql, arguments).compactMap { try $0[0] }
    }
}

/// A store's connections. Writes are serialized (one writer at a time, across every server
/// process of the store) and each `write` is one transaction, durable when it returns; a
/// `read` sees one consistent snapshot.
public protocol SQLDatabase: Sendable {
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    /// One transaction of bookkeeping that runs out by itself (an upload's lease, a session's
    /// last use): committed without waiting for the disk, and writing no feed rows, so on
    /// PostgreSQL not queued behind the feed's writers. A killed process keeps it; a power cut
    /// may lose it, and only it: the next durable commit carries every commit before it.
    func writeBookkeeping<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    /// One durable transaction that writes no feed rows and needs no place in the feed's order
    /// (the bytes of materials, a megabyte at a time): on PostgreSQL it does not queue behind
    /// the feed's writers nor hold them up; SQLite, with one writer, runs it as a `write`.
    func writeUnordered<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
}

extension SQLDatabase {
    public func writeUnordered<T: Sendable>(
        _ body: @escaping @Sendable (any SQLConnection) throws -> T
    ) async throws -> T {
        try await write(body)
    }
}

/// A statement the schema refused (unique key, NOT NULL, CHECK, foreign key, a value the column
/// cannot hold): in a push, the client's data, answered as a rejection rather than a server error.
public struct SQLConstraintViolation: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "a constraint of the schema refused the statement" }
}

import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import SyncStorage

/// `SQLDatabase` on PostgreSQL, shared by every server process of an office.
///
/// Writes are serialized across all processes: each write transaction first takes one
/// cluster-wide advisory lock, so transactions commit in the order they were granted it and the
/// feed's sequence numbers are assigned in commit order (a pull that has seen seq N can never
/// later meet a smaller one). Within a process a gate lets one write at a time wait for that
/// lock, so waiting writers never hold the connections readers need. Reads run in one
/// REPEATABLE READ READ ONLY snapshot.
public final class PostgresDatabase: SQLDatabase {
    /// The advisory lock every write transaction holds ("MUTUALAI" in ASCII).
    static let writeLockKey: Int64 = 0x4D55_5455_414C_4149

    public let url: PostgresURL
    private let pool: ConnectionPool
    private let writeGate = AsyncGate()
    /// Unordered writes (a material's bytes) hold a connection while PostgreSQL stores a
    /// megabyte; they may hold all but two, so pushes and pulls always find one.
    private let unorderedGate: AsyncGate
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let beforeCommit: (@Sendable () -> Void)?

    /// Connects lazily: the first statement opens the first connection. `beforeCommit` runs in
    /// every write transaction just before its commit (tests use it to make commits slow).
    public init(
        url: PostgresURL, poolSize: Int = 8, logger: Logger = Logger(label: "postgres"),
        beforeCommit: (@Sendable () -> Void)? = nil
    ) {
        self.url = url
        self.beforeCommit = beforeCommit
        var quiet = logger
        quiet.logLevel = .warning
        self.logger = quiet
        pool = ConnectionPool(
            configuration: url.configuration, capacity: poolSize,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: quiet)
        // One thread per connection that can be leased, so a body holding one never waits for a
        // thread held by another body waiting for a connection.
        threadPool = NIOThreadPool(numberOfThreads: poolSize + 1)
        unorderedGate = AsyncGate(holders: Self.unorderedHolders(poolSize: poolSize))
        threadPool.start()
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await transaction(begin: ["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"], body)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let hook = beforeCommit
        return try await writeGate.holding {
            try await transaction(begin: ["BEGIN", "SELECT pg_advisory_xact_lock(\(Self.writeLockKey))"]) { db in
                let result = try body(db)
                hook?()
                return result
            }
        }
    }

    /// Without the advisory lock (it writes no feed rows) and with `synchronous_commit` off for
    /// this transaction: visible at once to every server, on disk within the WAL writer's delay.
    public func writeBookkeeping<T: Sendable>(
        _ body: @escaping @Sendable (any SQLConnection) throws -> T
    ) async throws -> T {
        try await transaction(begin: ["BEGIN", "SET LOCAL synchronous_commit TO OFF"], body)
    }

    /// Durable, without the advisory lock: the bytes of a material take their time in
    /// PostgreSQL (TOAST, WAL) beside the feed's writers instead of between them.
    public func writeUnordered<T: Sendable>(
        _ body: @escaping @Sendable (any SQLConnection) throws -> T
    ) async throws -> T {
        try await unorderedGate.holding { try await transaction(begin: ["BEGIN"], body) }
    }

    /// How many unordered writes may hold connections at once: all but two of the pool, at
    /// least one.
    static func unorderedHolders(poolSize: Int) -> Int { max(1, poolSize - 2) }

    /// Connections open and lent out now (for the metrics).
    public func poolUsage() async -> (open: Int, leased: Int, capacity: Int) {
        let usage = await pool.usage
        return (usage.open, usage.leased, pool.capacity)
    }

    public func close() async {
        await pool.close()
        try? await threadPool.shutdownGracefully()
    }

    private func transaction<T: Sendable>(
        begin: [String], _ body: @escaping @Sendable (any SQLConnection) throws -> T
    ) async throws -> T {
        let connection = try await pool.lease()
        let logger = self.logger
        do {
            let result = try await threadPool.runIfActive {
                let db = PostgresSQLConnection(connection.connection, statements: connection.statements, logger: logger)
                for statement in begin { try db.run(statement, []) }
                do {
                    let result = try body(db)
                    try db.run("COMMIT", [])
                    return result
                } catch {
                    _ = try? db.run("ROLLBACK", [])
                    throw error
                }
            }
            await pool.release(connection)
            return result
        } catch {
            await pool.release(connection)
            throw error
        }
    }
}

/// At most `holders` at a time (one by default), the others queued in arrival order.
actor AsyncGate {
    private let holders: Int
    private var held = 0
    private var queue: [CheckedContinuation<Void, Never>] = []

    init(holders: Int = 1) { self.holders = holders }

    func enter() async {
        if held < holders {
            held += 1
            return
        }
        await withCheckedContinuation { queue.append($0) }
    }

    /// A queued holder takes the place over; otherwise it is free again.
    func leave() {
        if queue.isEmpty {
            held -= 1
        } else {
            queue.removeFirst().resume()
        }
    }

    /// Runs `body` holding a place, left however `body` ends.
    nonisolated func holding<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await enter()
        do {
            let result = try await body()
            await leave()
            return result
        } catch {
            await leave()
            throw error
        }
    }
}

import Logging
import NIOCore
import PostgresNIO

/// At most `capacity` open connections, leased one at a time; a broken connection is dropped
/// on return and replaced on the next lease. Each connection keeps its named statements
/// (`StatementCache`) for its life.
actor ConnectionPool {
    struct Leased: Sendable {
        let connection: PostgresConnection
        let statements: StatementCache
    }

    private let configuration: PostgresConnection.Configuration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    let capacity: Int
    private var idle: [Leased] = []
    private var open = 0
    private var waiters: [CheckedContinuation<Leased, any Error>] = []
    private var nextId = 0
    private var closed = false

    init(
        configuration: PostgresConnection.Configuration, capacity: Int, eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) {
        self.configuration = configuration
        self.capacity = capacity
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Open connections and those lent out now, for the metrics.
    var usage: (open: Int, leased: Int) { (open, open - idle.count) }

    deinit {
        // A dropped store still closes its connections; each stays alive until it is closed.
        for connection in idle.map(\.connection) {
            connection.close().whenComplete { _ in _ = connection }
        }
    }

    func lease() async throws -> Leased {
        if closed { throw PostgresUnavailable(reason: "the store is closing") }
        while let leased = idle.popLast() {
            if !leased.connection.isClosed { return leased }
            open -= 1
        }
        if open < capacity {
            open += 1
            do {
                return try await connect()
            } catch {
                open -= 1
                throw error
            }
        }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    func release(_ leased: Leased) async {
        guard !leased.connection.isClosed, !closed else {
            open -= 1
            if !leased.connection.isClosed { try? await leased.connection.close() }
            await replaceForWaiter()
            return
        }
        if waiters.isEmpty {
            idle.append(leased)
        } else {
            waiters.removeFirst().resume(returning: leased)
        }
    }

    func close() async {
        closed = true
        for waiter in waiters { waiter.resume(throwing: PostgresUnavailable(reason: "the store is closing")) }
        waiters = []
        let connections = idle.map(\.connection)
        idle = []
        for connection in connections { try? await connection.close() }
    }

    private func replaceForWaiter() async {
        guard !waiters.isEmpty, open < capacity else { return }
        let waiter = waiters.removeFirst()
        open += 1
        do {
            waiter.resume(returning: try await connect())
        } catch {
            open -= 1
            waiter.resume(throwing: error)
        }
    }

    private func connect() async throws -> Leased {
        nextId += 1
        do {
            let connection = try await PostgresConnection.connect(
                on: eventLoopGroup.next(), configuration: configuration, id: nextId, logger: logger
            ).get()
            return Leased(connection: connection, statements: StatementCache())
        } catch {
            throw PostgresUnavailable(reason: "cannot connect: \(error)")
        }
    }
}

/// The database cannot be reached (refused, lost, closing): a server-side outage, answered as
/// "try again later", never as the client's mistake.
public struct PostgresUnavailable: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "PostgreSQL is unavailable: \(reason)" }
}

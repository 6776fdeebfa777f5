import Logging
import NIOCore
import PostgresNIO

/// At most `capacity` open connections, leased one at a time; a broken connection is dropped
/// on return and replaced on the next lease.
actor ConnectionPool {
    private let configuration: PostgresConnection.Configuration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    let capacity: Int
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var waiters: [CheckedContinuation<PostgresConnection, any Error>] = []
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
        for connection in idle {
            connection.close().whenComplete { _ in _ = connection }
        }
    }

    func lease() async throws -> PostgresConnection {
        if closed { throw PostgresUnavailable(reason: "the store is closing") }
        while let connection = idle.popLast() {
            if !connection.isClosed { return connection }
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

    func release(_ connection: PostgresConnection) async {
        guard !connection.isClosed, !closed else {
            open -= 1
            if !connection.isClosed { try? await connection.close() }
            await replaceForWaiter()
            return
        }
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }

    func close() async {
        closed = true
        for waiter in waiters { waiter.resume(throwing: PostgresUnavailable(reason: "the store is closing")) }
        waiters = []
        let connections = idle
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

    private func connect() async throws -> PostgresConnection {
        nextId += 1
        do {
            return try await PostgresConnection.connect(
                on: eventLoopGroup.next(), configuration: configuration, id: nextId, logger: logger
            ).get()
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

import Dispatch
import NIOCore
import PostgresNIO
import Synchronization

/// How long a statement waits for its answer once its connection has closed. postgres-nio
/// (1.33) hands each statement to its channel without a promise for the write, so a statement
/// that reaches the channel after it finished closing is dropped unanswered, and waiting for
/// it would wait for ever. Everything the connection did receive is failed while it closes, so
/// a wait still open `grace` after the close is ended here as a lost connection.
struct AnswerWait {
    static let grace: Duration = .seconds(1)
    /// A wait wakes this often to look at its connection; an answer wakes it at once.
    static let checkEvery: DispatchTimeInterval = .milliseconds(250)

    private let connection: PostgresConnection
    private var closedSince: ContinuousClock.Instant?

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// Asked each time a wait wakes without an answer: true once the connection has been
    /// closed for the grace period.
    private mutating func givesUp() -> Bool {
        guard connection.isClosed else { return false }
        let now = ContinuousClock.now
        guard let since = closedSince else {
            closedSince = now
            return false
        }
        return now - since >= Self.grace
    }

    /// Waits for one signal of `wake`, looking at the connection meanwhile; throws `lost` once
    /// the connection has been closed for the grace period.
    mutating func wait(for wake: DispatchSemaphore) throws {
        while wake.wait(timeout: .now() + Self.checkEvery) == .timedOut {
            if givesUp() { throw Self.lost }
        }
    }

    static var lost: PostgresUnavailable { PostgresUnavailable(reason: "the connection was lost under a statement") }

    /// The answer to a statement sent as `future`, waited for on this thread.
    static func answer<T: Sendable>(_ future: EventLoopFuture<T>, on connection: PostgresConnection) throws -> T {
        let wake = DispatchSemaphore(value: 0)
        let answer = Mutex<Result<T, any Error>?>(nil)
        future.whenComplete { result in
            answer.withLock { $0 = result }
            wake.signal()
        }
        var wait = AnswerWait(connection)
        try wait.wait(for: wake)
        // The answer is stored before the signal.
        guard let result = answer.withLock({ $0 }) else { throw lost }
        return try result.get()
    }
}

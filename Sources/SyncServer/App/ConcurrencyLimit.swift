import Foundation
import Hummingbird
import Synchronization

/// At most `limit` operations at once; up to `queueLimit` more wait, first come first served,
/// for at most `maxWait`. Beyond that the caller gets 503 with Retry-After, so a burst costs
/// neither unbounded memory nor unbounded waiting.
public final class ConcurrencyLimit: Sendable {
    public let limit: Int
    public let queueLimit: Int
    public let maxWait: Duration
    public let retryAfterSeconds: Int

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }
    private struct State {
        var running = 0
        var waiters: [Waiter] = []
        var lastId: UInt64 = 0
    }
    private let state = Mutex(State())

    public init(limit: Int, queueLimit: Int, maxWait: Duration, retryAfterSeconds: Int = 2) {
        self.limit = max(1, limit)
        self.queueLimit = max(0, queueLimit)
        self.maxWait = maxWait
        self.retryAfterSeconds = max(1, retryAfterSeconds)
    }

    public func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await body()
    }

    /// Operations running now and waiting now.
    public var load: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.waiters.count) } }

    private enum Entry {
        case acquired, full
        case queued(UInt64)
    }

    private func acquire() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let entry = state.withLock { s -> Entry in
                if s.running < limit {
                    s.running += 1
                    return .acquired
                }
                guard s.waiters.count < queueLimit else { return .full }
                s.lastId += 1
                s.waiters.append(Waiter(id: s.lastId, continuation: continuation))
                return .queued(s.lastId)
            }
            switch entry {
            case .acquired: continuation.resume()
            case .full: continuation.resume(throwing: busy)
            case .queued(let id):
                let maxWait = maxWait
                Task { [weak self] in
                    try? await Task.sleep(for: maxWait)
                    self?.giveUp(id)
                }
            }
        }
    }

    /// A waiter still queued after `maxWait` leaves with 503; one already let in is left alone.
    private func giveUp(_ id: UInt64) {
        let waiter = state.withLock { s -> Waiter? in
            guard let i = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return s.waiters.remove(at: i)
        }
        waiter?.continuation.resume(throwing: busy)
    }

    private func release() {
        // The slot passes straight to the first waiter, so `running` stays the same.
        let next = state.withLock { s -> Waiter? in
            if s.waiters.isEmpty {
                s.running -= 1
                return nil
            }
            return s.waiters.removeFirst()
        }
        next?.continuation.resume()
    }

    static let busyCode = "server_busy"

    private var busy: ServerError {
        var error = ServerError(.serviceUnavailable, Self.busyCode, "服务器繁忙，请 \(retryAfterSeconds) 秒后重试")
        error.headers[.retryAfter] = String(retryAfterSeconds)
        return error
    }
}

/// Runs a route's requests through a `ConcurrencyLimit` when `applies` says so (e.g. tus PATCHes:
/// a waiting request does not read its body, so bodies do not pile up in memory).
struct ConcurrencyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limit: ConcurrencyLimit
    /// Added to the 503 (tus wants `Tus-Resumable` on every answer).
    var busyHeaders: HTTPFields = [:]
    let applies: @Sendable (Request) -> Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard applies(request) else { return try await next(request, context) }
        do {
            return try await limit.run { try await next(request, context) }
        } catch var error as ServerError where error.code == ConcurrencyLimit.busyCode {
            error.headers.append(contentsOf: busyHeaders)
            throw error
        }
    }
}

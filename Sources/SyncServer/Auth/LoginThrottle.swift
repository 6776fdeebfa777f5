import Foundation

/// Per-account lockout after repeated failed logins. Pure: the store keeps the state.
public struct LoginThrottle: Sendable {
    public var maxFailures = 5
    public var lockSeconds: TimeInterval = 15 * 60

    public init(maxFailures: Int = 5, lockSeconds: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures; self.lockSeconds = lockSeconds
    }

    public struct State: Sendable, Equatable {
        public var failures: Int
        public var lockedUntil: Date?
        public init(failures: Int, lockedUntil: Date?) { self.failures = failures; self.lockedUntil = lockedUntil }
    }

    /// Seconds left on a lock, or nil when a login may be tried.
    public func remainingLock(_ s: State, now: Date) -> TimeInterval? {
        guard let until = s.lockedUntil, until > now else { return nil }
        return until.timeIntervalSince(now)
    }

    public func afterFailure(_ s: State, now: Date) -> State {
        let failures = s.failures + 1
        return failures >= maxFailures
            ? State(failures: 0, lockedUntil: now.addingTimeInterval(lockSeconds))
            : State(failures: failures, lockedUntil: nil)
    }

    public func afterSuccess() -> State { State(failures: 0, lockedUntil: nil) }
}

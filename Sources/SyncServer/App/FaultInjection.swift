import Foundation

/// Crash points for the exactly-once tests and the fault suite: with
/// `SYNC_SERVER_CRASH_AT=after-push-commit` the process kills itself with SIGKILL at that point,
/// as a power cut would. Unset in production, where every call is a no-op.
public struct FaultInjection: Sendable {
    public enum Point: String, Sendable {
        case afterPushCommit = "after-push-commit"
        case beforePullAnswer = "before-pull-answer"
        case afterUploadPatch = "after-upload-patch"
        /// After a part was stored as content (renamed into place), before the material's commit.
        case afterPartStored = "after-part-stored"
    }

    let armed: Point?
    /// Fire on the n-th time the point is reached (`SYNC_SERVER_CRASH_AFTER`, default 1).
    let onHit: Int
    private let hits = HitCounter()

    public init(armed: Point?, onHit: Int = 1) {
        self.armed = armed
        self.onHit = max(1, onHit)
    }

    public static func fromEnvironment() -> FaultInjection {
        let env = ProcessInfo.processInfo.environment
        return FaultInjection(
            armed: env["SYNC_SERVER_CRASH_AT"].flatMap(Point.init(rawValue:)),
            onHit: env["SYNC_SERVER_CRASH_AFTER"].flatMap { Int($0) } ?? 1)
    }

    func reached(_ point: Point) {
        if point == armed, hits.increment() >= onHit { kill(getpid(), SIGKILL) }
    }

    private final class HitCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() -> Int {
            lock.lock()
            defer { lock.unlock() }
            count += 1
            return count
        }
    }
}

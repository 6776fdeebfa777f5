import Foundation

/// Crash points for the exactly-once tests and the fault suite: with
/// `SYNC_SERVER_CRASH_AT=after-push-commit` the process kills itself with SIGKILL at that point,
/// as a power cut would. Unset in production, where every call is a no-op.
public struct FaultInjection: Sendable {
    public enum Point: String, Sendable {
        case afterPushCommit = "after-push-commit"
        case beforePullAnswer = "before-pull-answer"
    }

    let armed: Point?

    public init(armed: Point?) { self.armed = armed }

    public static func fromEnvironment() -> FaultInjection {
        FaultInjection(armed: ProcessInfo.processInfo.environment["SYNC_SERVER_CRASH_AT"].flatMap(Point.init(rawValue:)))
    }

    func reached(_ point: Point) {
        if point == armed { kill(getpid(), SIGKILL) }
    }
}

import Foundation

/// Crash points for the exactly-once tests and the fault suite. member-cli arms one from
/// `MEMBER_CLI_CRASH_AT` (`after-push-response`: the process is killed with SIGKILL after the
/// server answered a push and before the outbox is updated, as a power cut would;
/// `pull-page-written`: while pulled pages wait for their commit). Unarmed
/// (the default) every point is a no-op. Unit tests pass an action that throws instead.
public struct ClientFaults: Sendable {
    public enum Point: String, Sendable {
        case afterPushResponse = "after-push-response"
        /// A pulled page is written into the open transaction, not yet committed.
        case pullPageWritten = "pull-page-written"
    }

    public var armed: Point?
    /// What happens at the armed point; a thrown error ends the sync there.
    public var action: @Sendable (Point) throws -> Void

    public init(armed: Point?, action: @escaping @Sendable (Point) throws -> Void = { _ in kill(getpid(), SIGKILL) }) {
        self.armed = armed
        self.action = action
    }

    public static let none = ClientFaults(armed: nil)

    func reached(_ point: Point) throws {
        if point == armed { try action(point) }
    }
}

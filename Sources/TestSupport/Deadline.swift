import Foundation

/// A bounded wait: every wait in the tests and benchmarks has one, and running out is an
/// error that says what was awaited, never a hang.
public struct Deadline: Sendable {
    public let end: Date

    public init(seconds: Double) { end = Date().addingTimeInterval(seconds) }

    public var hasPassed: Bool { Date() >= end }

    /// Polls `condition` until it holds; throws `SupportError` naming `what` once time is up.
    public func wait(
        for what: @autoclosure () -> String, every interval: Double = 0.01,
        until condition: () throws -> Bool
    ) throws {
        while true {
            if try condition() { return }
            if hasPassed { throw SupportError("timed out waiting for \(what())") }
            usleep(useconds_t(interval * 1_000_000))
        }
    }
}

public struct SupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

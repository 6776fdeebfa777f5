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

extension Deadline {
    /// Polls `condition` without holding a thread (Swift's shared threads are few) until it
    /// holds or time is up; answers whether it held. For waits whose running out is a
    /// finding the test records, not an error.
    public func poll(every interval: Duration = .milliseconds(20), until condition: () -> Bool) async throws -> Bool {
        while !condition() {
            if hasPassed { return false }
            try await Task.sleep(for: interval)
        }
        return true
    }
}

public struct SupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

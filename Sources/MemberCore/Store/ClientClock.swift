import Foundation
import MutualAidDomain

/// Where the client reads the time for what it stamps: the hybrid logical clock of local
/// edits, outbox and rejection times, the last sync. Tests pass a fixed or stepping clock;
/// the rules of the clock itself stay in `HybridLogicalClock`.
struct ClientClock: Sendable {
    var now: @Sendable () -> Date

    static let system = ClientClock { Date() }

    /// Milliseconds since 1970, what the hybrid logical clock counts in.
    var millis: Int64 { Int64(now().timeIntervalSince1970 * 1000) }

    /// The text form kept in the database (`created_at`, `rejected_at`, `lastSync`).
    var iso8601: String { UTCStamp.text(now()) }
}

import Foundation

/// Login back-off. Pure: the store keeps the records and asks `decide` before every attempt.
///
/// Failures are counted under three keys: the login from one client address (the pair), the
/// address over all logins, and the login from everywhere. Each attempt is counted as a failure
/// when it is let through (before scrypt runs) and taken back if it succeeds, so parallel guesses
/// are all counted. The keys use the login text as typed, so an unknown login backs off exactly
/// like a known one.
///
/// Why not lock the account: unit codes are public logins, so a hard lock would let anyone lock a
/// clerk out. A pair or an address that keeps failing waits longer and longer (doubling, capped at
/// `maxDelay`), and only it. The per-login ceiling — once a login has collected
/// `accountCeilingFailures` failures, one attempt per `accountCeilingInterval` — applies only to
/// addresses that have already failed on that login: an address with a clean record on it is
/// always let through, so the right password from a clean address never waits. The price is one
/// guess per fresh address beyond the ceiling, which the per-address rule still bounds.
public struct LoginThrottle: Sendable {
    /// Failures of one address on one login before it must wait.
    public var freeFailures = 3
    /// Failures of one address over all logins before it must wait (offices share an address).
    public var addressFreeFailures = 20
    /// The first wait; each further failure doubles it, up to `maxDelay`.
    public var baseDelay: TimeInterval = 2
    public var maxDelay: TimeInterval = 15 * 60
    public var accountCeilingFailures = 200
    public var accountCeilingInterval: TimeInterval = 10
    /// A record with no failure for this long is forgotten.
    public var forgetAfter: TimeInterval = 24 * 3600

    public init() {}

    public struct Record: Sendable, Equatable {
        public var failures: Int
        public var lastFailure: Date
        public init(failures: Int, lastFailure: Date) {
            self.failures = failures
            self.lastFailure = lastFailure
        }
    }

    public struct Records: Sendable, Equatable {
        public var pair: Record?
        public var address: Record?
        public var account: Record?
        public init(pair: Record? = nil, address: Record? = nil, account: Record? = nil) {
            self.pair = pair
            self.address = address
            self.account = account
        }
    }

    public enum Decision: Sendable, Equatable {
        case allow
        /// Whole seconds to wait, at least 1.
        case wait(seconds: Int)
    }

    /// The wait after `failures` failures, when `free` are allowed without one.
    public func delay(failures: Int, free: Int) -> TimeInterval {
        guard failures >= free else { return 0 }
        let doublings = min(failures - free, 30)
        return min(baseDelay * Double(1 << doublings), maxDelay)
    }

    public func decide(_ records: Records, now: Date) -> Decision {
        let pair = live(records.pair, now: now)
        let address = live(records.address, now: now)
        let account = live(records.account, now: now)
        var until = Date.distantPast
        if let pair { until = max(until, pair.lastFailure + delay(failures: pair.failures, free: freeFailures)) }
        if let address {
            until = max(until, address.lastFailure + delay(failures: address.failures, free: addressFreeFailures))
        }
        if let account, let pair, pair.failures > 0, account.failures >= accountCeilingFailures {
            until = max(until, account.lastFailure + accountCeilingInterval)
        }
        guard until > now else { return .allow }
        return .wait(seconds: max(1, Int(until.timeIntervalSince(now).rounded(.up))))
    }

    /// A record after an attempt was let through: counted as a failure until it succeeds.
    public func afterAttempt(_ record: Record?, now: Date) -> Record {
        Record(failures: (live(record, now: now)?.failures ?? 0) + 1, lastFailure: now)
    }

    /// A record with one let-through attempt taken back (it succeeded, or never ran). After a
    /// success the pair's record is removed instead: that address knows the password.
    public func takingBack(_ record: Record?) -> Record? {
        guard let record, record.failures > 1 else { return nil }
        return Record(failures: record.failures - 1, lastFailure: record.lastFailure)
    }

    private func live(_ record: Record?, now: Date) -> Record? {
        guard let record, now.timeIntervalSince(record.lastFailure) < forgetAfter else { return nil }
        return record
    }
}

extension LoginThrottle {
    /// The three keys of an attempt. The unit separator cannot occur in a login or an address.
    public static func keys(login: String, address: String) -> (pair: String, address: String, account: String) {
        ("pair\u{1F}\(login)\u{1F}\(address)", "addr\u{1F}\(address)", "login\u{1F}\(login)")
    }
}

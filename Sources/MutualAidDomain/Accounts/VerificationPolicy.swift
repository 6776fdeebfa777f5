import Foundation

/// SMS verification codes for activation (激活会员身份) and password reset. Pure: the store keeps
/// the codes and the request counters and asks these rules.
///
/// A code is six digits, valid for `validity`, and void after `maxAttempts` wrong tries. Sending
/// is limited per person, per mobile and per client address (`perPerson`/`perMobile`/`perAddress`
/// requests per `window`, and at most one per `resendInterval` to one person), so the endpoint can
/// neither flood a phone nor be used to probe many ID numbers from one place.
public struct VerificationPolicy: Sendable {
    public var validity: TimeInterval = 5 * 60
    public var maxAttempts = 5
    public var resendInterval: TimeInterval = 60
    public var window: TimeInterval = 3600
    public var perPerson = 5
    public var perMobile = 5
    public var perAddress = 20

    public init() {}

    public enum Purpose: String, Sendable { case activate, reset }

    /// Requests under one key in the current window.
    public struct Counter: Sendable, Equatable {
        public var count: Int
        public var windowStart: Date
        public var lastSent: Date
        public init(count: Int, windowStart: Date, lastSent: Date) {
            self.count = count
            self.windowStart = windowStart
            self.lastSent = lastSent
        }
    }

    public enum Decision: Sendable, Equatable {
        case allow
        case wait(seconds: Int)
    }

    /// Whether a code may be sent now. `person` and `mobile` are nil before the request matched a
    /// person (only the address is checked then: a mismatch still counts against it).
    public func decide(person: Counter?, mobile: Counter?, address: Counter?, now: Date) -> Decision {
        var wait: TimeInterval = 0
        if let person, now.timeIntervalSince(person.lastSent) < resendInterval {
            wait = max(wait, resendInterval - now.timeIntervalSince(person.lastSent))
        }
        for (counter, limit) in [(person, perPerson), (mobile, perMobile), (address, perAddress)] {
            guard let counter, now.timeIntervalSince(counter.windowStart) < window, counter.count >= limit else {
                continue
            }
            wait = max(wait, window - now.timeIntervalSince(counter.windowStart))
        }
        return wait > 0 ? .wait(seconds: Int(wait.rounded(.up))) : .allow
    }

    /// The counter after one more request now.
    public func counting(_ counter: Counter?, now: Date) -> Counter {
        guard let counter, now.timeIntervalSince(counter.windowStart) < window else {
            return Counter(count: 1, windowStart: now, lastSent: now)
        }
        return Counter(count: counter.count + 1, windowStart: counter.windowStart, lastSent: now)
    }

    /// What a typed code amounts to, given the stored one.
    public enum Check: Sendable, Equatable {
        case valid
        /// Wrong; `remaining` tries are left (0: the code is now void).
        case wrong(remaining: Int)
        case expired
        /// No code was requested, or it was used up.
        case missing
    }

    public func check(matches: Bool, attempts: Int, expiresAt: Date, now: Date) -> Check {
        if attempts >= maxAttempts { return .missing }
        if now >= expiresAt { return .expired }
        if matches { return .valid }
        return .wrong(remaining: max(0, maxAttempts - attempts - 1))
    }

    /// Six random digits, leading zeros kept.
    public static func newCode() -> String {
        var rng = SystemRandomNumberGenerator()
        return String(format: "%06d", Int.random(in: 0..<1_000_000, using: &rng))
    }

    /// A typed code: six ASCII digits, spaces ignored.
    public static func normalizedCode(_ typed: String) -> String? {
        let code = typed.filter { !$0.isWhitespace }
        guard code.count == 6, code.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return code
    }

    /// Chinese text for a wait, e.g. "45 秒" or "12 分钟".
    public static func waitText(seconds: Int) -> String {
        seconds < 60 ? "\(seconds) 秒" : "\((seconds + 59) / 60) 分钟"
    }
}

/// What a member sees of a mobile number they do not own yet: 138****1001.
public enum MobileMask {
    public static func masked(_ mobile: String) -> String {
        guard mobile.count >= 7 else { return String(repeating: "*", count: mobile.count) }
        return String(mobile.prefix(3)) + "****" + String(mobile.suffix(4))
    }
}

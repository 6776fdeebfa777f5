import Testing

@testable import MemberCore

/// The retry state machine, driven by event sequences with no network.
@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 4, baseDelay: 0.25, maxDelay: 1)

    @Test func transientFailuresBackOffWithJitterThenGiveUp() {
        #expect(policy.next(after: .transient, attempt: 1, random: 1.0) == .retry(afterSeconds: 0.25))
        #expect(policy.next(after: .transient, attempt: 2, random: 0.5) == .retry(afterSeconds: 0.25))
        // Capped at 1 s.
        #expect(policy.next(after: .transient, attempt: 3, random: 0.999) == .retry(afterSeconds: 0.999))
        #expect(policy.next(after: .transient, attempt: 4, random: 0.5) == .giveUp)
    }

    @Test func clientErrorsNeverRetry() {
        #expect(policy.next(after: .permanent, attempt: 1, random: 0.5) == .giveUp)
        #expect(policy.next(after: .success, attempt: 1, random: 0.5) == .finish)
        #expect(RetryPolicy.outcome(status: 400) == .permanent)
        #expect(RetryPolicy.outcome(status: 401) == .permanent)
        #expect(RetryPolicy.outcome(status: 413) == .permanent)
        #expect(RetryPolicy.outcome(status: 426) == .permanent)
        #expect(RetryPolicy.outcome(status: 503) == .transient)
        #expect(RetryPolicy.outcome(status: 429) == .transient)
        #expect(RetryPolicy.outcome(status: 429, retryAfter: 2) == .transient)
        #expect(RetryPolicy.outcome(status: 429, retryAfter: 900) == .permanent)  // a locked account
        #expect(TransportError.tls("x").isTransient == false)
        #expect(TransportError.unreachable("x").isTransient)
    }
}

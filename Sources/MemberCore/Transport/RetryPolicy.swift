/// When to try a request again: transient failures (no connection, timeout, 429, 5xx) retry
/// with exponential backoff and full jitter; client errors never do. Pure: the caller feeds it
/// outcomes and a random number, and sleeps for what it says.
struct RetryPolicy: Sendable, Equatable {
    var maxAttempts = 4
    var baseDelay: Double = 0.25
    var maxDelay: Double = 4

    enum Outcome: Equatable {
        case success
        case transient
        case permanent
    }

    enum Action: Equatable {
        case finish
        case retry(afterSeconds: Double)
        case giveUp
    }

    /// `attempt` counts from 1; `random` is uniform in 0..<1.
    func next(after outcome: Outcome, attempt: Int, random: Double) -> Action {
        switch outcome {
        case .success: return .finish
        case .permanent: return .giveUp
        case .transient:
            guard attempt < maxAttempts else { return .giveUp }
            let ceiling = min(maxDelay, baseDelay * Double(1 << min(attempt - 1, 16)))
            return .retry(afterSeconds: ceiling * random)
        }
    }

    /// A 429 that asks for a long wait (an account lock, say) is not worth retrying.
    static func outcome(status: Int, retryAfter: Double? = nil) -> Outcome {
        if status == 429, let retryAfter, retryAfter > 4 { return .permanent }
        switch status {
        case 200..<400: return .success
        case 408, 429, 500, 502, 503, 504: return .transient
        default: return .permanent
        }
    }
}

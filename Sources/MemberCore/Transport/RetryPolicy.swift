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

    static func outcome(status: Int) -> Outcome {
        switch status {
        case 200..<400: .success
        case 408, 429, 500, 502, 503, 504: .transient
        default: .permanent
        }
    }
}

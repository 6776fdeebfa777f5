import Dispatch
import Foundation

/// scrypt, run off the event loop and off Swift's cooperative pool (on GCD worker threads), a
/// bounded number at once: each check takes 128 MiB and a few hundred milliseconds at the
/// standard cost, so a burst of logins queues (then gets 503) instead of taking the memory.
struct PasswordChecks: Sendable {
    let hasher: PasswordHasher
    let limit: ConcurrencyLimit
    /// A hash of nothing anyone knows, at the configured cost: unknown logins are checked against
    /// it, so they cost the same time as known ones.
    let dummyHash: String

    init(hasher: PasswordHasher, limit: ConcurrencyLimit) {
        self.hasher = hasher
        self.limit = limit
        dummyHash = (try? hasher.hash(BearerToken.make())) ?? ""
    }

    func verify(_ password: String, against stored: String) async throws -> Bool {
        let hasher = hasher
        return try await limit.run { await Self.offload { hasher.verify(password, against: stored) } }
    }

    func hash(_ password: String) async throws -> String {
        let hasher = hasher
        let result = try await limit.run { await Self.offload { Result { try hasher.hash(password) } } }
        return try result.get()
    }

    private static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}

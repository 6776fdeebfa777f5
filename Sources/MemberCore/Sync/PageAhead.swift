import SyncProtocol
import Synchronization

/// The pull page asked for ahead of the one being written. The writer can take it without
/// waiting once it has come (`takeIfArrived`), so pages that arrive as fast as they are written
/// share one durable commit; otherwise the sync waits for it (`next`). At most one page is out
/// at a time, so a pull holds no more than the page in hand and the one coming.
final class PageAhead: Sendable {
    typealias Fetch = @Sendable (_ after: Int64) async throws -> PulledPage
    typealias Arrival = Result<PulledPage, any Error>

    private struct State {
        var requested = false
        var arrived: Arrival?
        var waiter: CheckedContinuation<Arrival?, Never>?
        var task: Task<Void, Never>?
    }

    private let fetch: Fetch
    private let state = Mutex(State())

    init(_ fetch: @escaping Fetch) { self.fetch = fetch }

    /// Asks for the page after `cursor`; the page in hand must have been taken first.
    func request(after cursor: Int64) {
        state.withLock { $0.requested = true }
        let task = Task { [fetch] in
            let arrival: Arrival
            do { arrival = .success(try await fetch(cursor)) } catch { arrival = .failure(error) }
            self.deliver(arrival)
        }
        state.withLock { $0.task = task }
    }

    /// The page asked for, waiting for it; nil when none was asked for (the feed's end).
    func next() async throws -> PulledPage? {
        let arrival = await withCheckedContinuation { (waiter: CheckedContinuation<Arrival?, Never>) in
            let now: Arrival?? = state.withLock { state in
                guard state.requested else { return .some(nil) }
                guard let arrived = state.arrived else {
                    state.waiter = waiter
                    return nil
                }
                state.arrived = nil
                state.requested = false
                return .some(arrived)
            }
            if let now { waiter.resume(returning: now) }
        }
        return try arrival?.get()
    }

    /// The page asked for if it has already come, without waiting. A failed fetch is left for
    /// `next`, which throws it after the pages taken so far are committed.
    func takeIfArrived() -> PulledPage? {
        state.withLock { state in
            guard case .success(let page) = state.arrived else { return nil }
            state.arrived = nil
            state.requested = false
            return page
        }
    }

    /// Stops the fetch under way (the sync failed); its answer is dropped.
    func cancel() { state.withLock { $0.task }?.cancel() }

    private func deliver(_ arrival: Arrival) {
        let waiter = state.withLock { state -> CheckedContinuation<Arrival?, Never>? in
            guard let waiter = state.waiter else {
                state.arrived = arrival
                return nil
            }
            state.waiter = nil
            state.requested = false
            return waiter
        }
        waiter?.resume(returning: arrival)
    }
}

import SyncProtocol
import Synchronization

/// The pull pages asked for ahead of the one being written, oldest first. A page's answer
/// names the next page's cursor in its headers before its body is read, so the next page is
/// asked for at once: the server reads it while this device decodes the one before and writes
/// the one before that. At most `depth` pages are out or waiting at a time. The writer takes
/// a page without waiting once it has come (`takeIfArrived`), so pages that arrive as fast as
/// they are written share one durable commit; otherwise the sync waits for it (`next`).
final class PageAhead: Sendable {
    /// Fetches the page after `after`; calls `announce` with the next page's cursor as soon as
    /// the answer names it (nil: the answer does not, and the page's own cursor is used).
    typealias Fetch = @Sendable (_ after: Int64, _ announce: @Sendable (Int64) -> Void) async throws -> PulledPage
    typealias Arrival = Result<PulledPage, any Error>

    private struct Slot {
        let number: Int
        var arrival: Arrival?
        var announced = false
        var task: Task<Void, Never>?
    }

    private struct State {
        var slots: [Slot] = []
        var made = 0
        /// A next cursor announced while `depth` pages were out: asked for when one is taken.
        var deferred: Int64?
        var waiter: CheckedContinuation<Arrival?, Never>?
        var cancelled = false
    }

    private let fetch: Fetch
    private let depth: Int
    private let state = Mutex(State())

    init(depth: Int = 2, _ fetch: @escaping Fetch) {
        self.depth = max(1, depth)
        self.fetch = fetch
    }

    /// Asks for the page after `cursor` (the first; the rest follow by themselves).
    func request(after cursor: Int64) {
        start(state.withLock { Self.enqueue(&$0) }, after: cursor)
    }

    /// The next page, waiting for it; nil when no more were asked for (the feed's end).
    func next() async throws -> PulledPage? {
        let arrival = await withCheckedContinuation { (waiter: CheckedContinuation<Arrival?, Never>) in
            let now: Arrival?? = state.withLock { state in
                guard let first = state.slots.first else { return .some(nil) }
                guard first.arrival != nil else {
                    state.waiter = waiter
                    return nil
                }
                return .some(first.arrival)
            }
            if let now { waiter.resume(returning: now) }
        }
        guard let arrival else { return nil }
        let page = try arrival.get()
        taken()
        return page
    }

    /// The next page if it has already come, without waiting. A failed fetch is left for
    /// `next`, which throws it after the pages taken so far are committed.
    func takeIfArrived() -> PulledPage? {
        let page: PulledPage? = state.withLock { state in
            guard case .success(let page) = state.slots.first?.arrival else { return nil }
            return page
        }
        if page != nil { taken() }
        return page
    }

    /// Stops every fetch under way (the sync failed); their answers are dropped.
    func cancel() {
        let tasks = state.withLock { state in
            state.cancelled = true
            return state.slots.compactMap(\.task)
        }
        for task in tasks { task.cancel() }
    }

    // MARK: Internals

    private static func enqueue(_ state: inout State) -> Int {
        state.made += 1
        state.slots.append(Slot(number: state.made))
        return state.made
    }

    private func start(_ number: Int, after cursor: Int64) {
        let task = Task { [fetch] in
            let arrival: Arrival
            do {
                arrival = .success(try await fetch(cursor) { next in self.announced(next, by: number) })
            } catch {
                arrival = .failure(error)
            }
            self.deliver(arrival, to: number)
        }
        state.withLock { state in
            if let i = state.slots.firstIndex(where: { $0.number == number }) { state.slots[i].task = task }
        }
    }

    /// A fetch's answer named the next cursor: ask for it now, or when a page is taken if
    /// `depth` pages are out.
    private func announced(_ cursor: Int64, by number: Int) {
        let next: Int? = state.withLock { state in
            guard !state.cancelled, let i = state.slots.firstIndex(where: { $0.number == number }) else { return nil }
            state.slots[i].announced = true
            guard state.slots.count < depth else {
                state.deferred = cursor
                return nil
            }
            return Self.enqueue(&state)
        }
        if let next { start(next, after: cursor) }
    }

    private func deliver(_ arrival: Arrival, to number: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Arrival?, Never>? in
            guard let i = state.slots.firstIndex(where: { $0.number == number }) else { return nil }
            state.slots[i].arrival = arrival
            guard i == 0, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: arrival)
    }

    /// Removes the first page, then asks for the one after it unless an answer already did.
    private func taken() {
        let next: (number: Int, cursor: Int64)? = state.withLock { state in
            let slot = state.slots.removeFirst()
            var cursor = state.deferred
            state.deferred = nil
            if !slot.announced, case .success(let page) = slot.arrival, let after = page.nextAfter { cursor = after }
            guard let cursor, !state.cancelled else { return nil }
            return (Self.enqueue(&state), cursor)
        }
        if let next { start(next.number, after: next.cursor) }
    }
}

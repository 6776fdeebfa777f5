import Dispatch
import PostgresNIO
import Synchronization

/// Runs an async call to its end on the calling thread, which waits meanwhile. The store's
/// bodies are synchronous and each runs on a thread of the database's own pool; postgres-nio's
/// named statements are reached only through async calls. Running the call's jobs here, as
/// they are resumed, keeps it off Swift's shared threads (on a busy server they are the
/// request handlers', and a statement waiting behind them would hold the feed's lock longer)
/// and costs one wake-up per answer, as waiting on a future did. A call still waiting a moment
/// after its connection closed is given up (`AnswerWait`); its task is left suspended.
final class CallingThreadExecutor: TaskExecutor, Sendable {
    private let jobs = Mutex<[UnownedJob]>([])
    private let wake = DispatchSemaphore(value: 0)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        wake.signal()
    }

    static func run<T: Sendable>(
        on connection: PostgresConnection, _ body: @escaping @Sendable () async throws -> T
    ) throws -> T {
        let executor = CallingThreadExecutor()
        let outcome = Mutex<Result<T, any Error>?>(nil)
        Task(executorPreference: executor) {
            let result: Result<T, any Error>
            do {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
        }
        var wait = AnswerWait(connection)
        while true {
            // The task's last job sets the outcome on this thread, so it is seen here next.
            if let result = outcome.withLock({ $0 }) { return try result.get() }
            try wait.wait(for: executor.wake)
            let ready = executor.jobs.withLock { jobs in
                defer { jobs.removeAll(keepingCapacity: true) }
                return jobs
            }
            for job in ready { job.runSynchronously(on: executor.asUnownedTaskExecutor()) }
        }
    }
}

import GRDB
import Synchronization

/// Group commit for the embedded store's one writer: writes that queue up while a commit is
/// syncing run next as one transaction, each inside a savepoint of its own, and share its
/// one fsync. None returns before that commit is on disk, so every answer still follows its
/// write to the disk; a write that throws is rolled back to its savepoint and fails alone.
/// With no other write waiting a write commits by itself, as before.
///
/// Under 200 devices submitting claims, the writer spent much of its time waiting for the
/// disk (about ten durable commits a submission, each an fsync of 0.1–3 ms on this machine)
/// while the other writers queued behind it.
final class GroupCommit: Sendable {
    /// A batch takes at most this many writes: each waits for the slowest of its batch.
    static let batchLimit = 64

    private let pool: DatabasePool
    private let state = Mutex(State())

    private struct State {
        var queue: [any GroupedWrite] = []
        var draining = false
    }

    init(pool: DatabasePool) { self.pool = pool }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let write = PendingWrite(body: body, continuation: continuation)
            let start = state.withLock { state in
                state.queue.append(write)
                let idle = !state.draining
                state.draining = true
                return idle
            }
            if start { Task { await self.drain() } }
        }
    }

    /// Commits batches until no write is waiting.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [any GroupedWrite] in
                let batch = Array(state.queue.prefix(Self.batchLimit))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            let failure: (any Error)?
            do {
                try await pool.writeWithoutTransaction { db in try Self.commit(batch, db) }
                failure = nil
            } catch {
                failure = error
            }
            for write in batch { write.finish(batchFailure: failure) }
        }
    }

    private static func commit(_ batch: [any GroupedWrite], _ db: Database) throws {
        try db.beginTransaction(.immediate)
        do {
            for write in batch {
                try db.cachedStatement(sql: "SAVEPOINT grouped_write").execute()
                if write.run(db) {
                    try db.cachedStatement(sql: "RELEASE SAVEPOINT grouped_write").execute()
                } else if db.isInsideTransaction {
                    try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT grouped_write").execute()
                    try db.cachedStatement(sql: "RELEASE SAVEPOINT grouped_write").execute()
                }
                // Some errors (a full disk, an I/O error) make SQLite roll back the whole
                // transaction: the writes before it are gone too, so the batch fails.
                guard db.isInsideTransaction else { throw BatchRolledBack() }
            }
            try db.commit()
        } catch {
            if db.isInsideTransaction { try? db.rollback() }
            throw error
        }
    }

    struct BatchRolledBack: Error, CustomStringConvertible {
        var description: String { "the database rolled back a group of writes; they were not saved" }
    }
}

/// One write waiting in a group: `run` inside the open transaction (false when its body threw),
/// `finish` once the group's commit is done (or failed).
private protocol GroupedWrite: Sendable {
    func run(_ db: Database) -> Bool
    func finish(batchFailure: (any Error)?)
}

private final class PendingWrite<T: Sendable>: GroupedWrite, @unchecked Sendable {
    // `outcome` is set by `run` on the writer and read by `finish` after the commit, on the
    // same drain task: never at the same time.
    private let body: @Sendable (Database) throws -> T
    private let continuation: CheckedContinuation<T, any Error>
    private var outcome: Result<T, any Error>?

    init(body: @escaping @Sendable (Database) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    func run(_ db: Database) -> Bool {
        outcome = Result { try body(db) }
        if case .success = outcome { return true }
        return false
    }

    func finish(batchFailure: (any Error)?) {
        switch (outcome, batchFailure) {
        case (.failure(let own)?, _): continuation.resume(throwing: own)
        case (_, let failure?): continuation.resume(throwing: failure)
        case (.success(let value)?, nil): continuation.resume(returning: value)
        case (nil, nil): continuation.resume(throwing: GroupCommit.BatchRolledBack())
        }
    }
}

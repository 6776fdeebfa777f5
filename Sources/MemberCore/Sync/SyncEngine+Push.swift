import Foundation
import SyncProtocol

/// The push: the outbox in batches, oldest first, each sent once the one before was answered.
///
/// Two things overlap the server's work on a batch, one after the other: writing down the
/// answer to the batch before (its entries leave the outbox, refusals are kept), and reading
/// and encoding the next batch. The next batch goes out only when the answer to the last one
/// settled every change of it; otherwise that answer is written first and the outbox read again
/// from its start, so a change the server left out or must see renumbered goes before anything
/// after it. A kill before an answer is written sends that batch again, and the server's ledger
/// answers it as it did the first time.
extension SyncEngine {
    func push(_ api: APIClient, into report: inout SyncReport) async throws {
        var limit = pushBatch
        // Raised by the first answer of a server that takes more; back to 2000 for the rest of
        // the sync once a larger batch was refused.
        var ceiling = ProtocolVersion.assumedMaxChangesPerPush
        var refusedLarger = false
        let database = self.database
        var renumbered = 0
        var batch = try OutboxBatch.read(database, limit: limit, after: 0)
        var unwritten: AnsweredBatch?
        while true {
            guard !batch.changes.isEmpty else {
                if let unwritten { report.add(try await Self.write(unwritten, database)) }
                return
            }
            // The next batch is read while this one is out, at the size a quick answer earns
            // (read again smaller if the answer is slow): a fast link gets its larger batches
            // one answer sooner.
            let hopeful = Self.nextPushLimit(
                afterFull: true, took: .zero, current: limit, first: pushBatch, ceiling: ceiling)
            let (sending, previous) = (batch, unwritten)
            unwritten = nil  // the task writing it down holds it now
            async let prepared = Self.writeThenRead(previous, limit: hopeful, after: sending.lastSeq, database)
            let response: PushResponse
            // The client's clock, which tests fix; a jump of the wall clock only mis-sizes a batch.
            let started = database.clock.now()
            do {
                let advertised: String?
                (response, advertised) = try await api.call("POST", "/v1/sync/push", packed: sending.packed) {
                    (try WireJSON.decode(PushResponse.self, from: $0.body), $0.header(ProtocolVersion.maxChangesHeader))
                }
                if !refusedLarger { ceiling = Self.pushCeiling(advertised: advertised) }
            } catch let error as ClientError where Self.refusedAsTooLarge(error, sent: sending.changes.count) {
                // Another instance behind the same address, left on the first release (an
                // upgrade should stop every instance), takes 2000: the rest of this sync goes in
                // batches it takes.
                report.add(try await prepared.0)
                refusedLarger = true
                ceiling = ProtocolVersion.assumedMaxChangesPerPush
                limit = min(limit, ceiling)
                batch = try OutboxBatch.read(database, limit: limit, after: 0)
                continue
            } catch {
                _ = try? await prepared  // what was answered before stays answered
                throw error
            }
            let (written, next) = try await prepared
            report.add(written)
            try faults.reached(.afterPushResponse)
            let answered = AnsweredBatch(sent: sending, response: response)
            if answered.settlesEveryChange {
                limit = Self.nextPushLimit(
                    afterFull: sending.isFull, took: .seconds(database.clock.now().timeIntervalSince(started)),
                    current: limit, first: pushBatch, ceiling: ceiling)
                unwritten = answered
                batch =
                    next.changes.count > limit
                    ? try OutboxBatch.read(database, limit: limit, after: sending.lastSeq) : next
                continue
            }
            let counts = try await Self.write(answered, database)
            report.add(counts)
            if counts.reused > 0 {
                // Restored from a backup: renumber what is waiting and send it again. Twice in
                // one sync means something else is wrong; stop rather than loop.
                renumbered += 1
                guard renumbered <= 2 else {
                    throw ClientError.server(status: 200, code: "change_id_reused", message: "更改编号冲突无法自动解决，请联系技术支持")
                }
                try await database.writeAsync { db in try Outbox.renumber(db, clock: database.clock) }
            } else if counts.applied + counts.rejected == 0 {
                // A server that answered for none of the batch would loop forever; stop instead.
                throw ClientError.server(status: 200, code: "empty_ack", message: "服务器没有确认任何更改，请稍后重试")
            }
            batch = try OutboxBatch.read(database, limit: limit, after: 0)
        }
    }

    /// A batch larger than every protocol-1 server takes, refused as too many changes.
    static func refusedAsTooLarge(_ error: ClientError, sent: Int) -> Bool {
        guard case .server(413, "batch_too_large", _) = error else { return false }
        return sent > ProtocolVersion.assumedMaxChangesPerPush
    }

    /// The most changes to send per push: what the server says it takes, within this release's
    /// own limit; the first release's 2000, which every protocol-1 server takes, when it says
    /// nothing or less.
    static func pushCeiling(advertised: String?) -> Int {
        let taken = advertised.flatMap { Int($0) } ?? 0
        return min(max(taken, ProtocolVersion.assumedMaxChangesPerPush), ProtocolVersion.maxChangesPerPush)
    }

    /// The next batches' size: after a full batch (as many as were asked for) answered within a
    /// quarter second four times as large, within a second twice; halved (not below the first
    /// size) after one that took over five; never above what the server takes. A slow link keeps
    /// batches quick to send again when one is cut; a fast one pays fewer durable commits and
    /// round trips, and reaches its largest batches after two answers instead of four.
    static func nextPushLimit(afterFull full: Bool, took: Duration, current: Int, first: Int, ceiling: Int) -> Int {
        let next: Int
        if took > .seconds(5) {
            next = max(first, current / 2)
        } else if full, took < .milliseconds(250) {
            next = current * 4
        } else if full, took < .seconds(1) {
            next = current * 2
        } else {
            next = current
        }
        return min(next, ceiling)
    }

    /// While a batch is out: the answer to the one before is written down, then the next is read
    /// and packed (gzip), one after the other. Together they take less than the server's work on
    /// a batch, so one core does both, and a server on the same two cores (the bench's) keeps
    /// the other; packing the body was the last step between an answer and the next request.
    private static func writeThenRead(
        _ previous: AnsweredBatch?, limit: Int, after: Int64, _ database: ClientDatabase
    ) async throws -> (Outbox.Counts, OutboxBatch) {
        let written = try await write(previous, database)
        return (written, try OutboxBatch.read(database, limit: limit, after: after))
    }

    /// Writes down the server's answer to a batch (nothing for none).
    private static func write(_ answered: AnsweredBatch?, _ database: ClientDatabase) async throws -> Outbox.Counts {
        guard let answered else { return Outbox.Counts() }
        return try await database.writeAsync { db in
            try Outbox.acknowledge(
                db, cipher: database.cipher, clock: database.clock, sent: answered.sent.changes,
                results: answered.response.results)
        }
    }
}

/// A batch and the server's answer to it, not yet written down.
struct AnsweredBatch: Sendable {
    let sent: OutboxBatch
    let response: PushResponse

    /// Every change of the batch was applied or refused: none is left to send again first.
    var settlesEveryChange: Bool {
        let settled = Set(response.results.lazy.filter { $0.status != .changeIdReused }.map(\.changeId))
        return sent.changes.allSatisfy { settled.contains($0.changeId) }
    }
}

extension SyncReport {
    mutating func add(_ counts: Outbox.Counts) {
        pushed += counts.applied
        rejected += counts.rejected
    }
}

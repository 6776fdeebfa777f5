import Foundation
import SyncStorage

/// An outbox message one gateway pass holds (its lease) while posting it.
struct ClaimedSMS: Sendable {
    let id: Int64
    let mobile: String
    let text: String
    let createdAt: String
    /// Failed posts before this one.
    let attempts: Int
    /// This claim's lease owner: only it may record the outcome of its post.
    let token: String

    /// The same for every post of this message, and unlike the bare id it is not reused when a
    /// store is set up afresh: the outbox number and its creation instant's digits
    /// ("42-20261129014540123"). Sent as `{id}` and as the Idempotency-Key header.
    var deliveryKey: String { "\(id)-\(createdAt.filter(\.isNumber))" }
}

/// The gateway's side of `sms_outbox` on either store. Every server process may run a gateway
/// on one store: a message is claimed with a lease (a conditional UPDATE, so of two claims
/// only one changes the row), and due again only once its lease has run out.
extension SQLCaseStore {
    /// Messages still to be sent whose next try is due and that no post holds, oldest first.
    /// A read: polling takes no write lock while there is nothing to send.
    func dueSMS(now: Date, limit: Int) async throws -> [Int64] {
        let now = Timestamp.format(now)
        return try await database.read { db in
            try db.fetchValues(
                Int64.self,
                sql: """
                    SELECT id FROM sms_outbox
                    WHERE delivered_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
                      AND (lease_until IS NULL OR lease_until < ?)
                    ORDER BY id LIMIT \(max(1, limit))
                    """, arguments: [now, now])
        }
    }

    /// Takes the message until `leaseUntil` when it is still due and free; nil when another
    /// process took it first or it was delivered meanwhile.
    func claimSMS(id: Int64, now: Date, leaseUntil: Date) async throws -> ClaimedSMS? {
        let token = UUID().uuidString.lowercased()
        let now = Timestamp.format(now)
        return try await database.write { db -> ClaimedSMS? in
            try db.execute(
                sql: """
                    UPDATE sms_outbox SET lease_owner = ?, lease_until = ?
                    WHERE id = ? AND delivered_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
                      AND (lease_until IS NULL OR lease_until < ?)
                    """, arguments: [token, Timestamp.format(leaseUntil), id, now, now])
            guard db.changesCount == 1,
                let row = try db.fetchOne(
                    sql: "SELECT mobile, text, created_at, attempts FROM sms_outbox WHERE id = ?", arguments: [id])
            else { return nil }
            return ClaimedSMS(
                id: id, mobile: try row["mobile"], text: try row["text"], createdAt: try row["created_at"],
                attempts: try row["attempts"], token: token)
        }
    }

    /// A failed post: one attempt more, why (a status or transport error, never the message),
    /// when to try again, and the lease given back. Only the claim's own post records it.
    func recordSMSFailure(_ message: ClaimedSMS, error: String, retryAt: Date) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE sms_outbox SET attempts = ?, last_error = ?, next_attempt_at = ?,
                        lease_owner = NULL, lease_until = NULL
                    WHERE id = ? AND lease_owner = ? AND delivered_at IS NULL
                    """,
                arguments: [
                    message.attempts + 1, String(error.prefix(200)), Timestamp.format(retryAt), message.id,
                    message.token,
                ])
        }
    }
}

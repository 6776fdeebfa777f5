import Foundation
import GRDB

/// Where text messages go (initial passwords). The default writes them to `sms_outbox` in the
/// same transaction as the business change, so a message exists exactly when its cause does;
/// the operator reads it with `sync-server sms list` (or a real gateway drains the outbox).
protocol SMSGateway: Sendable {
    func send(to mobile: String, text: String, now: Date, _ db: Database) throws
}

struct SMSOutbox: SMSGateway {
    func send(to mobile: String, text: String, now: Date, _ db: Database) throws {
        try db.execute(sql: "INSERT INTO sms_outbox (mobile, text, created_at) VALUES (?, ?, ?)",
                       arguments: [mobile, text, Timestamp.format(now)])
    }
}

public struct SMSMessage: Codable, Sendable {
    public var id: Int64
    public var mobile: String
    public var text: String
    public var createdAt: String
}

extension SQLiteCaseStore {
    /// The outbox, oldest first, for the operator.
    public func smsMessages() async throws -> [SMSMessage] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sms_outbox ORDER BY id").map {
                SMSMessage(id: $0["id"], mobile: $0["mobile"], text: $0["text"], createdAt: $0["created_at"])
            }
        }
    }
}

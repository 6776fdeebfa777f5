import Foundation
import SyncStorage

/// Where text messages go (initial passwords). The default writes them to `sms_outbox` in the
/// same transaction as the business change, so a message exists exactly when its cause does;
/// the operator reads it with `sync-server sms list` (or a real gateway drains the outbox).
/// `redacted` is the same text with its secret masked: what stays once the message is delivered.
public protocol SMSGateway: Sendable {
    func send(to mobile: String, text: String, redacted: String, now: Date, _ db: any SQLConnection) throws
}

struct SMSOutbox: SMSGateway {
    func send(to mobile: String, text: String, redacted: String, now: Date, _ db: any SQLConnection) throws {
        try db.execute(
            sql: "INSERT INTO sms_outbox (mobile, text, redacted, created_at) VALUES (?, ?, ?, ?)",
            arguments: [mobile, text, redacted, Timestamp.format(now)])
    }
}

public struct SMSMessage: Codable, Sendable {
    public var id: Int64
    public var mobile: String
    public var text: String
    public var createdAt: String
}

extension SQLCaseStore {
    /// The messages still to be sent, oldest first, for the operator.
    public func smsMessages() async throws -> [SMSMessage] {
        try await database.read { db in
            try db.fetchAll(sql: "SELECT * FROM sms_outbox WHERE delivered_at IS NULL ORDER BY id").map {
                try SMSMessage(id: $0["id"], mobile: $0["mobile"], text: $0["text"], createdAt: $0["created_at"])
            }
        }
    }

    /// Marks messages passed on: their text keeps no secret from now on. Returns how many were
    /// still to be sent.
    @discardableResult
    public func markSMSDelivered(ids: [Int64], now: Date) async throws -> Int {
        try await database.write { db in
            var count = 0
            for id in ids {
                try db.execute(
                    sql: """
                        UPDATE sms_outbox SET delivered_at = ?, text = COALESCE(redacted, '（内容已清除）')
                        WHERE id = ? AND delivered_at IS NULL
                        """, arguments: [Timestamp.format(now), id])
                count += db.changesCount
            }
            return count
        }
    }
}

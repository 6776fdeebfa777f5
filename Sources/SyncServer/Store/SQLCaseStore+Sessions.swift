import Foundation
import SyncProtocol
import SyncStorage

/// The devices signed in to an account (`session`): listed by their owner, ended one by one, and
/// all at once by a password reset.
extension SQLCaseStore {
    /// How stale `last_seen` may get before a request writes it again: one write a minute per
    /// device rather than one per request.
    static let lastSeenResolution: TimeInterval = 60

    static func insertSession(
        _ db: any SQLConnection, tokenHash: String, accountId: String, expiresAt: Date, clientId: String?,
        address: String?, now: Date
    ) throws {
        try db.execute(sql: "DELETE FROM session WHERE expires_at < ?", arguments: [Timestamp.format(now)])
        try db.execute(
            sql: """
                INSERT INTO session (token_hash, account_id, expires_at, created_at, id, client_id, last_seen, address)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                tokenHash, accountId, Timestamp.format(expiresAt), Timestamp.format(now),
                "s-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12),
                clientId, Timestamp.format(now), address,
            ])
    }

    /// Records that the session was used now from `address`, when its record is stale.
    public func touchSession(tokenHash: String, address: String, now: Date) async throws {
        try await database.writeBookkeeping { db in
            try db.execute(
                sql:
                    "UPDATE session SET last_seen = ?, address = ? WHERE token_hash = ? AND (last_seen IS NULL OR last_seen < ?)",
                arguments: [
                    Timestamp.format(now), address, tokenHash,
                    Timestamp.format(now.addingTimeInterval(-Self.lastSeenResolution)),
                ])
        }
    }

    public func sessions(accountId: String, currentTokenHash: String?, now: Date) async throws -> [SessionInfo] {
        try await database.read { db in
            try db.fetchAll(
                sql: """
                    SELECT token_hash, id, client_id, created_at, last_seen, address FROM session
                    WHERE account_id = ? AND expires_at >= ? ORDER BY created_at, id
                    """, arguments: [accountId, Timestamp.format(now)]
            ).map { row in
                let created: String = try row["created_at"]
                return SessionInfo(
                    id: try row["id"], clientId: try row["client_id"], firstSeen: created,
                    lastSeen: (try row["last_seen"] as String?) ?? created, address: try row["address"],
                    current: (try row["token_hash"] as String) == currentTokenHash)
            }
        }
    }

    /// Ends one session of the account; false when it has none of that id.
    public func revokeSession(accountId: String, id: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM session WHERE account_id = ? AND id = ?", arguments: [accountId, id])
            return db.changesCount == 1
        }
    }
}

import MutualAidDomain
import SyncStorage

/// The highest outbox number of each device of an account that the ledger has answered
/// (`push_watermark`). A device numbers its changes upwards, so on a long push every batch is
/// new: its ids are all above the mark and the ledger need not be asked for any of them. Only
/// an id at or below the mark (a retry, or a device restored from a backup) or of another
/// shape is looked up. Written with the ledger rows, in the same transaction.
enum PushWatermark {
    /// The ids of `ids` that the ledger may have answered before.
    static func mayBeAnswered(_ ids: [String], accountId: String, _ db: any SQLConnection) throws -> [String] {
        let parts = ids.map(ChangeId.parts)
        // The route lets a batch name one device only; a mark per device named all the same.
        var marks: [Substring: Int64] = [:]
        for case (let clientId, _)? in parts where marks[clientId] == nil {
            marks[clientId] =
                try db.fetchValue(
                    Int64.self, sql: "SELECT seq FROM push_watermark WHERE account_id = ? AND node = ?",
                    arguments: [accountId, String(clientId)]) ?? 0
        }
        return zip(ids, parts).compactMap { id, parts in
            guard let (clientId, seq) = parts, let mark = marks[clientId] else { return id }
            return seq <= mark ? id : nil
        }
    }

    /// Raises the marks to the highest number among `changeIds`, the batch's new ledger rows.
    static func raise(_ changeIds: [String], accountId: String, _ db: any SQLConnection) throws {
        var highest: [Substring: Int64] = [:]
        for case (let clientId, let seq)? in changeIds.lazy.map(ChangeId.parts) {
            highest[clientId] = max(highest[clientId] ?? 0, seq)
        }
        let larger = db.dialect == .sqlite ? "max" : "GREATEST"
        for (clientId, seq) in highest {
            try db.execute(
                sql: """
                    INSERT INTO push_watermark (account_id, node, seq) VALUES (?, ?, ?)
                    ON CONFLICT (account_id, node) DO UPDATE SET seq = \(larger)(push_watermark.seq, excluded.seq)
                    """, arguments: [accountId, String(clientId), seq])
        }
    }
}

import Foundation
import GRDB
import MutualAidDomain

/// Local changes waiting for the server. `record` is called inside the same transaction as
/// the data change; rows leave only when the server has answered for them.
enum Outbox {
    static func record(_ db: Database, table: SyncTable, recordId: String, fields: FieldMap, stamp: HLCTimestamp) throws {
        try db.execute(sql: """
            INSERT INTO outbox (tbl, record_id, op, fields, hlc, created_at) VALUES (?, ?, 'upsert', ?, ?, ?)
            """, arguments: [table.name, recordId, String(decoding: try JSONEncoder().encode(fields), as: UTF8.self),
                             stamp.description, Date().formatted(.iso8601)])
    }

    /// The oldest `limit` changes, with ids "clientId:seq".
    static func pending(_ db: Database, limit: Int) throws -> [Change] {
        let clientId = try LocalClock.clientId(db)
        return try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY seq LIMIT ?", arguments: [limit]).map { row in
            Change(changeId: "\(clientId):\(row["seq"] as Int64)", table: row["tbl"], recordId: row["record_id"],
                   op: ChangeOp(rawValue: row["op"]) ?? .upsert,
                   fields: try JSONDecoder().decode(FieldMap.self, from: Data((row["fields"] as String).utf8)),
                   hlc: row["hlc"])
        }
    }

    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0
    }

    /// Applies the server's answer: applied changes leave, rejected ones move to
    /// `rejected_change` with the reason. Changes the answer does not mention stay.
    static func acknowledge(_ db: Database, sent: [Change], results: [ChangeResult]) throws -> (applied: Int, rejected: Int) {
        let byId = Dictionary(sent.map { ($0.changeId, $0) }, uniquingKeysWith: { a, _ in a })
        var applied = 0, rejected = 0
        for result in results {
            guard let change = byId[result.changeId],
                  let seq = result.changeId.split(separator: ":").last.flatMap({ Int64($0) }) else { continue }
            if result.status == .rejected {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO rejected_change (change_id, tbl, record_id, fields, hlc, reason, rejected_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [change.changeId, change.table, change.recordId,
                                     String(decoding: try JSONEncoder().encode(change.fields), as: UTF8.self),
                                     change.hlc, result.reason ?? "服务器拒绝了该更改", Date().formatted(.iso8601)])
                rejected += 1
            } else {
                applied += 1
            }
            try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [seq])
        }
        return (applied, rejected)
    }
}

import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// The ledger's row per batch (`applied_batch`): one device's answers of one push, as a JSON
/// array `[[seq, tbl, record_id, status, reason, digest], ...]`, with the lowest and highest
/// outbox number it holds. A row per change was about one bulk-inserted row per pushed change,
/// as much as the whole baseline of P3; one row per batch is one insert per push.
///
/// Ranges of two batches may overlap: a device restored from a backup can send a number the
/// server never saw that lies between numbers of an earlier batch. Each number is written
/// once, though (an id at or below the watermark is looked up first), so the lowest number
/// names its batch.
extension PushLedger {
    static func writeBatch(
        node: String, _ answered: [(seq: Int64, row: Row)], accountId: String, appliedAt: String,
        _ db: any SQLConnection
    ) throws {
        guard let first = answered.first else { return }
        var (lowest, highest) = (first.seq, first.seq)
        var json: [UInt8] = [UInt8(ascii: "[")]
        json.reserveCapacity(answered.count * 128)
        for (seq, row) in answered {
            (lowest, highest) = (min(lowest, seq), max(highest, seq))
            if json.count > 1 { json.append(UInt8(ascii: ",")) }
            json.append(UInt8(ascii: "["))
            json.append(contentsOf: String(seq).utf8)
            for text in [
                SQLCaseStore.ledgerText(row.table), SQLCaseStore.ledgerText(row.recordId), status(row),
                row.reason.map { SQLCaseStore.ledgerText($0, limit: 2000) }, row.digest,
            ] {
                json.append(UInt8(ascii: ","))
                if let text { FlatJSON.writeString(text, into: &json) } else { json.append(contentsOf: "null".utf8) }
            }
            json.append(UInt8(ascii: "]"))
        }
        json.append(UInt8(ascii: "]"))
        try db.execute(
            sql: """
                INSERT INTO applied_batch (account_id, node, first_seq, last_seq, applied_at, answers)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [accountId, node, lowest, highest, appliedAt, String(decoding: json, as: UTF8.self)])
    }

    /// Adds the answers the batch rows hold for `asked` (ids of other shapes are not there).
    /// Only a retry or a restored device asks, so the rows found are read whole.
    static func batchAnswers(
        to asked: [String], accountId: String, _ db: any SQLConnection, into answers: inout [String: Answer]
    ) throws {
        var wanted: [Substring: Set<Int64>] = [:]
        for case (let node, let seq)? in asked.lazy.map(ChangeId.parts) { wanted[node, default: []].insert(seq) }
        for (node, seqs) in wanted {
            guard let lowest = seqs.min(), let highest = seqs.max() else { continue }
            let rows = try db.fetchAll(
                sql: """
                    SELECT answers FROM applied_batch
                    WHERE account_id = ? AND node = ? AND first_seq <= ? AND last_seq >= ?
                    """, arguments: [accountId, String(node), highest, lowest])
            for row in rows {
                let text: String = try row["answers"]
                for answer in try JSONDecoder().decode([BatchAnswer].self, from: Data(text.utf8))
                where seqs.contains(answer.seq) {
                    answers[ChangeId.make(clientId: String(node), seq: answer.seq)] = (
                        answer.status, answer.reason, answer.digest
                    )
                }
            }
        }
    }
}

/// One element of a batch row's answers, as `writeBatch` writes it.
private struct BatchAnswer: Decodable {
    let seq: Int64
    let status: String
    let reason: String?
    let digest: String?

    init(from decoder: any Decoder) throws {
        var fields = try decoder.unkeyedContainer()
        seq = try fields.decode(Int64.self)
        _ = try fields.decode(String.self)  // table
        _ = try fields.decode(String.self)  // record id
        status = try fields.decode(String.self)
        reason = try fields.decodeIfPresent(String.self)
        digest = try fields.decodeIfPresent(String.self)
    }
}

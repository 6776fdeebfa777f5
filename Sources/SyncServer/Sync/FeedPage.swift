import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// A page of the change feed as stored: `fields` and `clocks` are kept as the JSON text the
/// feed row holds and spliced into the answer unparsed. Decoding 2,000 entries into
/// `FieldMap`s and encoding them again cost more than all the rest of a pull.
public struct FeedPage: Sendable {
    public struct Entry: Sendable {
        var seq: Int64
        var table: String
        var recordId: String
        var op: String
        /// JSON objects as written by `appendFeed` (always valid JSON, never user text).
        var fieldsJSON: String
        var clocksJSON: String
    }

    var entries: [Entry]
    var cursor: Int64
    var hasMore: Bool

    /// The `after` of the page that follows (`PulledPage.nextAfter` on the client); nil at the
    /// feed's end.
    var nextAfter: Int64? { hasMore && !entries.isEmpty ? cursor : nil }

    /// The same document `PullResponse` encodes to.
    func json() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(entries.reduce(64) { $0 + $1.fieldsJSON.utf8.count + $1.clocksJSON.utf8.count + 96 })
        out.append(contentsOf: #"{"changes":["#.utf8)
        for (i, entry) in entries.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"seq":"#.utf8)
            out.append(contentsOf: String(entry.seq).utf8)
            out.append(contentsOf: #","table":"#.utf8)
            FlatJSON.writeString(entry.table, into: &out)
            out.append(contentsOf: #","recordId":"#.utf8)
            FlatJSON.writeString(entry.recordId, into: &out)
            out.append(contentsOf: #","op":"#.utf8)
            FlatJSON.writeString(entry.op, into: &out)
            out.append(contentsOf: #","fields":"#.utf8)
            out.append(contentsOf: entry.fieldsJSON.utf8)
            out.append(contentsOf: #","clocks":"#.utf8)
            out.append(contentsOf: entry.clocksJSON.utf8)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"],"cursor":"#.utf8)
        out.append(contentsOf: String(cursor).utf8)
        out.append(contentsOf: #","hasMore":"#.utf8)
        out.append(contentsOf: (hasMore ? "true" : "false").utf8)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Parsed, for callers inside the server that want values rather than bytes.
    func response() throws -> PullResponse {
        PullResponse(
            changes: try entries.map { entry in
                FeedEntry(
                    seq: entry.seq, table: entry.table, recordId: entry.recordId,
                    op: ChangeOp(rawValue: entry.op) ?? .upsert,
                    fields: try FlatJSON.decodeFields(entry.fieldsJSON),
                    clocks: try FlatJSON.decodeClocks(entry.clocksJSON))
            }, cursor: cursor, hasMore: hasMore)
    }
}

import MutualAidDomain
import SyncProtocol

/// The `clocks` column's text. Flat JSON of field name → stamp, or, for a row whose fields were
/// all stamped by one change, the short form `=STAMP`: every field whose column is not NULL has
/// that stamp and no other field has a clock. An imported record's dozen clocks repeat one
/// stamp; as JSON they were over half of a pulled row's bytes, so a device's first pull wrote
/// (and synced, and checkpointed) twice the bytes its records hold. Only a row written whole
/// from a pulled entry takes the short form (`RowCodec.insertIfAbsent`); every other write
/// stores JSON, so a later edit of a column never leaves the short form describing it wrongly.
enum ClocksColumn {
    /// The stamp of a short-form text; nil for JSON.
    static func sharedStamp(_ text: String) -> String? {
        guard text.utf8.first == UInt8(ascii: "=") else { return nil }
        return String(text.utf8.dropFirst())
    }

    /// The clocks a short-form `stamp` gives a row: `filled(i)` tells whether the column of
    /// `fields[i]` holds a value.
    static func expand(_ stamp: String, fields: [SyncField], filled: (Int) -> Bool) -> [String: String] {
        var clocks = [String: String](minimumCapacity: fields.count)
        for (i, field) in fields.enumerated() where filled(i) { clocks[field.name] = stamp }
        return clocks
    }
}

/// The clocks text of the last row written, made again only when a row's kept clocks differ:
/// the fields of a record are mostly stamped by one change, and the records of a page often by
/// one import, so a run of rows shares one text instead of encoding it row by row. The text is
/// the short form (`ClocksColumn`) when the row allows it.
public struct ClocksText {
    private var kept: [(key: String, value: String)] = []
    private var next: [(key: String, value: String)] = []
    private var text = FlatJSON.encode([(key: String, value: String)]())
    /// The row so far has a clock exactly on its non-NULL columns.
    private var clockedAsFilled = true
    private var shared: (stamp: String, text: String)?

    public init() {}

    mutating func start() {
        next.removeAll(keepingCapacity: true)
        clockedAsFilled = true
    }

    /// A field written into the row; `filled`: its column is not NULL.
    mutating func keep(_ key: String, _ clock: String?, filled: Bool) {
        if let clock { next.append((key, clock)) }
        if filled != (clock != nil) { clockedAsFilled = false }
    }

    mutating func finish() -> String {
        if clockedAsFilled, let stamp = next.first?.value, next.allSatisfy({ $0.value == stamp }) {
            if shared?.stamp != stamp { shared = (stamp, "=" + stamp) }
            return shared!.text
        }
        let same = next.count == kept.count && zip(next, kept).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        if !same {
            swap(&kept, &next)
            text = FlatJSON.encode(kept)
        }
        return text
    }
}

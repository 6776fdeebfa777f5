import MutualAidDomain
import SyncProtocol

/// The `clocks` column's text. Flat JSON of field name → stamp, or, for a row whose fields were
/// all stamped by one change, the short form `=STAMP`: every field whose column is not NULL has
/// that stamp and no other field has a clock. An imported record's dozen clocks repeat one
/// stamp; as JSON they were over half of a pulled row's bytes, so a device's first pull wrote
/// (and synced, and checkpointed) twice the bytes its records hold. Only a row written whole
/// from a pulled entry takes the short form (`RowCodec.insertAllIfAbsent`); every other write
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
/// the short form (`ClocksColumn`) when the row allows it. A row's clocks are kept as positions
/// in the caller's arrays, not copied: a first pull passes a million of them through here.
public struct ClocksText {
    private var kept: [(key: String, value: String)] = []
    /// Positions (in the layout and the pulled clocks) of this row's clocked fields.
    private var clocked: [Int] = []
    private var text = FlatJSON.encode([(key: String, value: String)]())
    /// The row so far has a clock exactly on its non-NULL columns.
    private var clockedAsFilled = true
    private var shared: (stamp: String, text: String)?

    public init() {}

    mutating func start() {
        clocked.removeAll(keepingCapacity: true)
        clockedAsFilled = true
    }

    /// The field at `position` written into the row with `clock`; `filled`: its column is not NULL.
    mutating func keep(_ position: Int, clocked hasClock: Bool, filled: Bool) {
        if hasClock { clocked.append(position) }
        if filled != hasClock { clockedAsFilled = false }
    }

    /// The row's text: `fields` and `clocks` are the arrays the kept positions index.
    mutating func finish(fields: UnsafeBufferPointer<SyncField>, clocks: [String?]) -> String {
        if clockedAsFilled, let first = clocked.first, let stamp = clocks[first],
            clocked.allSatisfy({ clocks[$0] == stamp })
        {
            if shared?.stamp != stamp { shared = (stamp, "=" + stamp) }
            return shared!.text
        }
        let same =
            clocked.count == kept.count
            && zip(clocked, kept).allSatisfy { fields[$0].name == $1.key && clocks[$0] == $1.value }
        if !same {
            kept = clocked.map { (fields[$0].name, clocks[$0]!) }
            text = FlatJSON.encode(kept)
        }
        return text
    }
}

import MutualAidDomain
import SyncProtocol

extension RowCodec {
    /// Rows of a feed written in one statement: a device's first pull writes a hundred thousand
    /// records it does not hold, and one statement per row spent more on the statement (finding
    /// it in the cache by its text, binding, resetting) than SQLite spent inserting.
    public static let pulledRowsPerStatement = 32

    /// Writes pulled records straight from what the feed sent when the store does not hold
    /// them yet, in one statement: each field of the layout that `takes` accepts, with its
    /// clock; the rest NULL (what building each record and `upsert` would write, without a
    /// dictionary). A row whose id exists is left as it is. Answers whether every record was new;
    /// when not, the caller merges each of them into the row it now holds (merging a record into
    /// the row just written from it changes nothing). Clocks that all share one stamp on exactly
    /// the filled columns are stored in the short form (`ClocksColumn`).
    public func insertAllIfAbsent(
        _ db: any SQLConnection, _ records: ArraySlice<PulledRecord>, clocksText: inout ClocksText,
        taking takes: (SyncField, _ clock: String?) -> Bool
    ) throws -> Bool {
        guard !records.isEmpty else { return true }
        var values: [SQLValue] = []
        values.reserveCapacity(records.count * (layout.fields.count + 2))
        // The layout's fields are borrowed, not copied per row and field (their retains were a
        // tenth of a first pull's writer thread).
        try layout.fields.withUnsafeBufferPointer { layoutFields in
            for record in records {
                values.append(.text(record.recordId))
                try appendRow(&values, record.fields, record.clocks, layoutFields, &clocksText, takes)
            }
        }
        let sql =
            records.count == Self.pulledRowsPerStatement
            ? layout.insertPulledSQL : layout.insertNewSQL(rows: records.count)
        try db.execute(sql, SQLArguments(values))
        return db.changesCount == records.count
    }

    private func appendRow(
        _ values: inout [SQLValue], _ fields: [FieldValue?], _ clocks: [String?],
        _ layoutFields: UnsafeBufferPointer<SyncField>, _ clocksText: inout ClocksText,
        _ takes: (SyncField, _ clock: String?) -> Bool
    ) throws {
        clocksText.start()
        for i in layoutFields.indices {
            let clock = i < clocks.count ? clocks[i] : nil
            guard i < fields.count, let value = fields[i], takes(layoutFields[i], clock) else {
                values.append(.null)
                continue
            }
            let column = try stored(layoutFields[i], value)
            let filled = if case .null = column { false } else { true }
            values.append(column)
            clocksText.keep(i, clocked: clock != nil, filled: filled)
        }
        values.append(.text(clocksText.finish(fields: layoutFields, clocks: clocks)))
    }
}

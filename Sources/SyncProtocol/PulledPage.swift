import MutualAidDomain

/// A pull page as the client writes it: runs of entries of one table, each record's fields and
/// clocks by position in that table's field list (`SyncTable.fields`), so a row is built from
/// slots, without two dictionaries per record, and the table is looked up once per run. The
/// wire document is `PullResponse`'s; `WireJSON` reads it into this form directly, and
/// `init(_:)` converts a decoded `PullResponse` the same way.
public struct PulledPage: Sendable, Equatable {
    public var runs: [PulledRun]
    public var cursor: Int64
    public var hasMore: Bool

    public init(runs: [PulledRun], cursor: Int64, hasMore: Bool) {
        self.runs = runs
        self.cursor = cursor
        self.hasMore = hasMore
    }

    public init(_ response: PullResponse) {
        var runs: [PulledRun] = []
        for entry in response.changes {
            let table = SyncTable.named(entry.table)
            if runs.last?.table?.name != table?.name || runs.isEmpty { runs.append(PulledRun(table: table)) }
            let names = table?.fields.map(\.name) ?? []
            runs[runs.count - 1].records.append(
                PulledRecord(
                    seq: entry.seq, recordId: entry.recordId, op: entry.op,
                    fields: names.map { entry.fields[$0] }, clocks: names.map { entry.clocks[$0] }))
        }
        self.init(runs: runs, cursor: response.cursor, hasMore: response.hasMore)
    }

    public var count: Int { runs.reduce(0) { $0 + $1.records.count } }
    public var isEmpty: Bool { runs.allSatisfy(\.records.isEmpty) }

    /// The `after` of the page that follows; nil at the feed's end (an empty page has no next:
    /// its cursor would not move).
    public var nextAfter: Int64? { hasMore && !isEmpty ? cursor : nil }
}

/// Consecutive entries of one table. Fields and clocks of names the table does not have (a
/// newer server's) are not kept, as the replica has no column for them; entries of a table this
/// version does not know have no `table` and no slots, and are skipped.
public struct PulledRun: Sendable, Equatable {
    public var table: SyncTable?
    public var records: [PulledRecord]

    public init(table: SyncTable?, records: [PulledRecord] = []) {
        self.table = table
        self.records = records
    }
}

public struct PulledRecord: Sendable, Equatable {
    public var seq: Int64
    public var recordId: String
    public var op: ChangeOp
    /// `fields[i]` is the value of the table's `fields[i]`, nil where the entry does not carry it.
    public var fields: [FieldValue?]
    /// `clocks[i]` is the clock of the table's `fields[i]`, nil where the entry has none.
    public var clocks: [String?]

    public init(seq: Int64, recordId: String, op: ChangeOp, fields: [FieldValue?], clocks: [String?]) {
        self.seq = seq
        self.recordId = recordId
        self.op = op
        self.fields = fields
        self.clocks = clocks
    }

    /// The fields by name, for merging into a record the replica holds.
    public func fieldMap(_ table: SyncTable) -> FieldMap {
        var map = FieldMap(minimumCapacity: fields.count)
        for (field, value) in zip(table.fields, fields) { map[field.name] = value }
        return map
    }

    public func clockMap(_ table: SyncTable) -> [String: String] {
        var map = [String: String](minimumCapacity: clocks.count)
        for (field, clock) in zip(table.fields, clocks) { map[field.name] = clock }
        return map
    }
}

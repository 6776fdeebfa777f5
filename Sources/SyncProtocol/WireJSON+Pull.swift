import Foundation
import MutualAidDomain

extension WireJSON {
    /// A pull page read into slots (`PulledPage`). A document the fast path cannot read is
    /// decoded as a `PullResponse` by `JSONDecoder` and converted, so malformed input gets
    /// Foundation's own error.
    public static func decode(_ type: PulledPage.Type, from data: Data) throws -> PulledPage {
        if let fast = fastDecode(type, from: data) { return fast }
        return PulledPage(try JSONDecoder().decode(PullResponse.self, from: data))
    }

    /// Nil when the fast path cannot read it.
    public static func fastDecode(_ type: PulledPage.Type, from data: Data) -> PulledPage? {
        try? scan(data) { scanner in
            var reader: SlotReader?
            var cursor: Int64?
            var hasMore: Bool?
            try scanner.rawMembers { key, scanner in
                if Name.is(key, "changes") {
                    var read = SlotReader()
                    try scanner.elements { try read.entry(&$0) }
                    reader = read
                } else if Name.is(key, "cursor") {
                    cursor = try scanner.integer()
                } else if Name.is(key, "hasMore") {
                    hasMore = try scanner.bool()
                } else {
                    throw JSONScanner.Unsupported()
                }
            }
            guard let reader, let cursor, let hasMore else { throw JSONScanner.Unsupported() }
            return PulledPage(runs: reader.runs, cursor: cursor, hasMore: hasMore)
        }
    }
}

private enum Name {
    static func `is`(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        JSONScanner.same(key, UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }
}

/// Reads feed entries into slots. Entries mostly come in runs of one table whose objects list
/// their keys in one order, with values that repeat, so the reader keeps the run's table, the
/// slot the n-th key of the last object named, and the last values: a key is then found by
/// one comparison, and a repeated value is compared rather than allocated.
private struct SlotReader {
    private(set) var runs: [PulledRun] = []
    private var table: SyncTable?
    private var names: [[UInt8]] = []
    private var fieldOrder: [Int] = []
    private var clockOrder: [Int] = []
    private var lastFields: [FieldValue?] = []
    private var lastClocks: [String?] = []

    /// Reads one entry into the last run, or a new run when its table is another.
    mutating func entry(_ scanner: inout JSONScanner) throws {
        var seq: Int64?
        var tableName: String?
        var recordId: String?
        var op: ChangeOp?
        var fields: [FieldValue?]?
        var clocks: [String?]?
        // Where "fields" and "clocks" began when they came before "table" (the server writes
        // "table" first; another writer may not): read once the table is known.
        var fieldsAt: Int?
        var clocksAt: Int?
        try scanner.rawMembers { key, scanner in
            if Name.is(key, "seq") {
                seq = try scanner.integer()
            } else if Name.is(key, "table") {
                guard tableName == nil else { throw JSONScanner.Unsupported() }  // slots are the first table's
                let name = try scanner.string(reusing: table?.name, nil)
                if name != table?.name { enter(SyncTable.named(name)) }
                tableName = name
            } else if Name.is(key, "recordId") {
                recordId = try scanner.string()
            } else if Name.is(key, "op") {
                guard let value = ChangeOp(rawValue: try scanner.string()) else { throw JSONScanner.Unsupported() }
                op = value
            } else if Name.is(key, "fields") {
                (fields, fieldsAt) = tableName == nil ? (nil, try scanner.skipValue()) : (try readFields(&scanner), nil)
            } else if Name.is(key, "clocks") {
                (clocks, clocksAt) = tableName == nil ? (nil, try scanner.skipValue()) : (try readClocks(&scanner), nil)
            } else {
                throw JSONScanner.Unsupported()
            }
        }
        guard let seq, tableName != nil, let recordId, let op else { throw JSONScanner.Unsupported() }
        if let fieldsAt { fields = try readFields(&scanner, at: fieldsAt) }
        if let clocksAt { clocks = try readClocks(&scanner, at: clocksAt) }
        guard let fields, let clocks else { throw JSONScanner.Unsupported() }
        if runs.isEmpty || runs[runs.count - 1].table?.name != table?.name { runs.append(PulledRun(table: table)) }
        runs[runs.count - 1].records.append(
            PulledRecord(seq: seq, recordId: recordId, op: op, fields: fields, clocks: clocks))
    }

    private mutating func readFields(_ scanner: inout JSONScanner, at start: Int? = nil) throws -> [FieldValue?] {
        try Self.read(&scanner, at: start, names: names, order: &fieldOrder, last: &lastFields) { scanner, last in
            try scanner.fieldValue(reusing: last ?? nil)
        }
    }

    private mutating func readClocks(_ scanner: inout JSONScanner, at start: Int? = nil) throws -> [String?] {
        var recent: String?
        return try Self.read(&scanner, at: start, names: names, order: &clockOrder, last: &lastClocks) {
            scanner, last in
            // A change stamps every field it writes alike: the field before is the likely twin.
            let clock = try scanner.string(reusing: recent, last ?? nil)
            recent = clock
            return clock
        }
    }

    /// One of the entry's objects into slots, remembering its key order and values for the next
    /// entry; `at`: read it again from there (it came before "table"), leaving `scanner` where it is.
    /// (`inout` rather than key paths into `self`: a key path is applied through the runtime,
    /// which looked up generic metadata for every object read.)
    private static func read<V>(
        _ scanner: inout JSONScanner, at start: Int?, names: [[UInt8]], order: inout [Int], last: inout [V?],
        _ value: (inout JSONScanner, V??) throws -> V
    ) throws -> [V?] {
        var from = scanner
        if let start { from.index = start }
        let slots = try Self.slots(&from, names: names, order: &order, last: last, value)
        if start == nil { scanner = from }
        last = slots
        return slots
    }

    private mutating func enter(_ next: SyncTable?) {
        table = next
        names = next?.fields.map { Array($0.name.utf8) } ?? []
        fieldOrder = []
        clockOrder = []
        lastFields = Array(repeating: nil, count: names.count)
        lastClocks = Array(repeating: nil, count: names.count)
    }

    /// One object of the entry read into the table's slots; a repeated key keeps the last value
    /// (as `JSONDecoder` does), a key the table does not have is read and dropped.
    private static func slots<V>(
        _ scanner: inout JSONScanner, names: [[UInt8]], order: inout [Int], last: [V?],
        _ value: (inout JSONScanner, V??) throws -> V
    ) throws -> [V?] {
        var slots = [V?](repeating: nil, count: names.count)
        var n = 0
        try scanner.rawMembers { key, scanner in
            let slot = Self.slot(of: key, in: names, guess: n < order.count ? order[n] : -1)
            if n < order.count { order[n] = slot } else { order.append(slot) }
            n += 1
            if slot < 0 {
                _ = try value(&scanner, nil)
            } else {
                slots[slot] = try value(&scanner, last[slot])
            }
        }
        return slots
    }

    /// The slot named by `key`, trying `guess` first; -1 for a name the table does not have.
    private static func slot(of key: UnsafeBufferPointer<UInt8>, in names: [[UInt8]], guess: Int) -> Int {
        func named(_ i: Int) -> Bool { names[i].withUnsafeBufferPointer { JSONScanner.same($0, key) } }
        if guess >= 0, named(guess) { return guess }
        return names.indices.first(where: named) ?? -1
    }
}

import MutualAidDomain
import PropertyBased
import SyncProtocol

/// Generators of wire values with the awkward parts JSON has to get right: quotes,
/// backslashes, control characters, characters outside the BMP (surrogate pairs in `\u`
/// escapes), U+2028, Chinese text, and integers at both ends of Int64.
enum WireGen {
    static let awkward: [Unicode.Scalar] = [
        "a", "Z", "0", " ", "\"", "\\", "/", "\u{0}", "\u{8}", "\u{C}", "\n", "\r", "\t", "\u{1F}", "\u{7F}",
        "\u{80}", "\u{2028}", "\u{2029}", "职", "工", "互", "助", "é", "\u{FEFF}", "\u{FFFD}", "\u{FFFF}",
        "😀", "\u{1F9D1}", "\u{10FFFF}",
    ]

    /// Every generator type-erased: the library's shrink types do not compose across `oneOf`.
    typealias G<T> = Generator<T, AnySequence<Any>>

    static func element<T: Sendable>(_ items: [T]) -> G<T> { Gen<T?>.element(of: items).map { $0! }.eraseToAny() }

    static let scalar: G<Unicode.Scalar> = Gen<Unicode.Scalar>.oneOf(
        element(awkward),
        Gen.unicodeScalar(in: "\u{20}"..."\u{7E}").eraseToAny(),
        Gen.unicodeScalar(in: "\u{0}"..."\u{D7FF}").eraseToAny(),
        Gen.unicodeScalar(in: "\u{E000}"..."\u{10FFFF}").eraseToAny()
    ).eraseToAny()

    static func text(_ length: ClosedRange<Int>) -> G<String> {
        scalar.array(of: length).map { scalars in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            return String(view)
        }.eraseToAny()
    }

    static let integer: G<Int64> = Gen<Int64>.oneOf(
        Gen.int64(in: -1000...1000).eraseToAny(),
        Gen.int64().eraseToAny(),
        element([Int64.min, Int64.max, 0, -1, 1 << 53, (1 << 53) + 1])
    ).eraseToAny()

    static let fieldValue: G<FieldValue> = Gen<FieldValue>.oneOf(
        text(0...12).map { FieldValue.string($0) }.eraseToAny(),
        integer.map { FieldValue.int($0) }.eraseToAny(),
        Gen.bool.map { FieldValue.bool($0) }.eraseToAny(),
        element([FieldValue.null])
    ).eraseToAny()

    static let fieldMap: G<FieldMap> = zip(text(0...8), fieldValue).array(of: 0...6).map { pairs in
        FieldMap(pairs, uniquingKeysWith: { first, _ in first })
    }.eraseToAny()

    static let clocks: G<[String: String]> = zip(text(0...8), text(0...30)).array(of: 0...6).map { pairs in
        [String: String](pairs, uniquingKeysWith: { first, _ in first })
    }.eraseToAny()

    static let op: G<ChangeOp> = element([ChangeOp.upsert, ChangeOp.delete])

    static let change: G<Change> = zip(
        zip(text(0...20), text(0...10)).eraseToAny(), zip(text(0...36), op).eraseToAny(),
        fieldMap, text(0...30)
    ).map { ids, record, fields, hlc in
        Change(changeId: ids.0, table: ids.1, recordId: record.0, op: record.1, fields: fields, hlc: hlc)
    }.eraseToAny()

    static let pushRequest: G<PushRequest> = zip(
        Gen.int(in: 0...3).eraseToAny(), text(0...20), change.array(of: 0...5).eraseToAny()
    )
    .map { version, client, changes in
        PushRequest(protocolVersion: version, clientId: client, changes: changes)
    }.eraseToAny()

    static let status: G<ChangeStatus> = element([ChangeStatus.applied, .rejected, .changeIdReused])

    static let result: G<ChangeResult> = zip(
        text(0...20), status, text(0...20).optional.eraseToAny(), Gen.bool.eraseToAny()
    )
    .map { id, status, reason, replayed in
        ChangeResult(changeId: id, status: status, reason: reason, replayed: replayed)
    }.eraseToAny()

    static let pushResponse: G<PushResponse> = result.array(of: 0...6).map { PushResponse(results: $0) }.eraseToAny()

    static let feedEntry: G<FeedEntry> = zip(
        zip(integer, text(0...10)).eraseToAny(), zip(text(0...36), op).eraseToAny(),
        fieldMap, clocks
    ).map { head, record, fields, clocks in
        FeedEntry(seq: head.0, table: head.1, recordId: record.0, op: record.1, fields: fields, clocks: clocks)
    }.eraseToAny()

    /// Values and stamps that repeat from record to record, as a unit's enrolments share its
    /// name and one change stamps every field it writes; now and then anything.
    static let repeatedValue: G<FieldValue> = Gen<FieldValue>.oneOf(
        element([FieldValue.string("商洛市商州区城建公司"), .string("95.00"), .string("本人"), .string(""), .int(1), .null]),
        element([FieldValue.string("商洛市商州区城建公司"), .bool(false)]),
        fieldValue
    ).eraseToAny()

    static let repeatedStamp: G<String> = Gen<String>.oneOf(
        element(["0001790000000000-00000-server", "0001790000000001-00000-server"]),
        element(["0001790000000000-00000-server"]),
        text(0...30)
    ).eraseToAny()

    /// Entries of the real tables (and one this version does not know), with field names of
    /// the table, a few it does not have, in any order, some without clocks.
    static let syncedEntry: G<FeedEntry> = zip(
        zip(integer, element(SyncTable.all.prefix(5).map(\.name) + ["未知的表"])).eraseToAny(),
        zip(text(0...36), op).eraseToAny(),
        zip(Gen.int(in: 0...63).eraseToAny(), repeatedValue, repeatedStamp).array(of: 0...16).eraseToAny()
    ).map { head, record, cells in
        let names = (SyncTable.named(head.1)?.fields.map(\.name) ?? []) + ["newerField", "x"]
        var fields = FieldMap()
        var clocks: [String: String] = [:]
        for (pick, value, stamp) in cells {
            let name = names[pick % names.count]
            fields[name] = value
            if pick % 4 != 0 { clocks[name] = stamp }
        }
        return FeedEntry(seq: head.0, table: head.1, recordId: record.0, op: record.1, fields: fields, clocks: clocks)
    }.eraseToAny()

    static let syncedPullResponse: G<PullResponse> = zip(
        syncedEntry.array(of: 0...8).eraseToAny(), integer, Gen.bool.eraseToAny()
    )
    .map { changes, cursor, more in
        PullResponse(changes: changes, cursor: cursor, hasMore: more)
    }.eraseToAny()

    static let pullResponse: G<PullResponse> = zip(
        feedEntry.array(of: 0...5).eraseToAny(), integer, Gen.bool.eraseToAny()
    )
    .map { changes, cursor, more in
        PullResponse(changes: changes, cursor: cursor, hasMore: more)
    }.eraseToAny()
}

/// Runs `body` on `count` values drawn from `generator` with a fixed seed, so every run checks
/// the same inputs and a failure names the seed and case that reproduce it.
func forEachValue<T>(
    _ generator: WireGen.G<T>, seed: (UInt64, UInt64, UInt64, UInt64), count: Int = 300,
    _ body: (T, String) throws -> Void
) rethrows {
    var rng = Xoshiro(seed: seed)
    for index in 0..<count {
        let value = generator.run(using: &rng)
        try body(value, "seed \(seed) case \(index)")
    }
}

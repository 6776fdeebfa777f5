/// A hybrid logical clock stamp: wall time in milliseconds, a counter for events within the
/// same millisecond, and the node that made it. Its text form sorts like the stamp itself.
public struct HLCTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var millis: Int64
    public var counter: Int
    public var node: String

    public init(millis: Int64, counter: Int, node: String) {
        self.millis = millis
        self.counter = counter
        self.node = node
    }

    public static let zero = HLCTimestamp(millis: 0, counter: 0, node: "")
    /// 16 digits, 5 digits, a node of at most 64 bytes and two dashes.
    public static let maxTextBytes = 16 + 1 + 5 + 1 + 64

    /// "0001732845600000-00000-node": fixed-width numbers, so text order is clock order.
    public var description: String {
        let ms = String(millis)
        let c = String(counter)
        return String(repeating: "0", count: max(0, 16 - ms.count)) + ms + "-"
            + String(repeating: "0", count: max(0, 5 - c.count)) + c + "-" + node
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard text.utf8.count <= Self.maxTextBytes, parts.count == 3, parts[0].utf8.count == 16,
            parts[1].utf8.count == 5,
            parts[0].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let ms = Int64(parts[0]), let c = Int(parts[1]), !parts[2].isEmpty
        else { return nil }
        self.init(millis: ms, counter: c, node: String(parts[2]))
    }

    public static func < (a: HLCTimestamp, b: HLCTimestamp) -> Bool {
        (a.millis, a.counter, a.node) < (b.millis, b.counter, b.node)
    }
}

/// The clock itself. Pure: the caller passes the wall time and persists `last`.
public struct HybridLogicalClock: Sendable {
    /// The text form has five counter digits; past that the clock borrows the next millisecond.
    static let maxCounter = 99_999

    public private(set) var last: HLCTimestamp
    public let node: String

    public init(node: String, last: HLCTimestamp? = nil) {
        self.node = node
        self.last = last ?? HLCTimestamp(millis: 0, counter: 0, node: node)
    }

    /// A stamp for a local event; never goes backwards even if the wall clock does.
    public mutating func tick(nowMillis: Int64) -> HLCTimestamp {
        if nowMillis > last.millis {
            last = HLCTimestamp(millis: nowMillis, counter: 0, node: node)
        } else {
            last = Self.advance(last.millis, last.counter + 1, node)
        }
        return last
    }

    /// Moves past a stamp seen from another node, so later local events order after it.
    public mutating func observe(_ remote: HLCTimestamp, nowMillis: Int64) {
        let maxMillis = max(nowMillis, last.millis, remote.millis)
        var counter = 0
        if maxMillis == last.millis && maxMillis == remote.millis {
            counter = max(last.counter, remote.counter) + 1
        } else if maxMillis == last.millis {
            counter = last.counter + 1
        } else if maxMillis == remote.millis {
            counter = remote.counter + 1
        }
        last = Self.advance(maxMillis, counter, node)
    }

    static func advance(_ millis: Int64, _ counter: Int, _ node: String) -> HLCTimestamp {
        counter > maxCounter
            ? HLCTimestamp(millis: millis + 1, counter: 0, node: node)
            : HLCTimestamp(millis: millis, counter: counter, node: node)
    }
}

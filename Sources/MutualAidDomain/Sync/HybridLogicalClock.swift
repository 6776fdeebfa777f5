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

    /// Read byte by byte at the fixed positions: every field of every pushed change is parsed
    /// (splitting the text into substrings was a tenth of the server's time per change).
    public init?(_ text: String) {
        let utf8 = text.utf8
        // 23 bytes of numbers and dashes, then a node of at least one byte.
        guard utf8.count > 23, utf8.count <= Self.maxTextBytes else { return nil }
        var millis: Int64 = 0
        var counter = 0
        var index = utf8.startIndex
        for position in 0..<23 {
            let byte = utf8[index]
            if position == 16 || position == 22 {
                guard byte == UInt8(ascii: "-") else { return nil }
            } else {
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                let digit = byte - UInt8(ascii: "0")
                if position < 16 { millis = millis * 10 + Int64(digit) } else { counter = counter * 10 + Int(digit) }
            }
            index = utf8.index(after: index)
        }
        self.init(millis: millis, counter: counter, node: String(text[index...]))
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

import MutualAidDomain

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A forward-only reader of JSON bytes for the few shapes the sync hot paths carry (objects,
/// arrays, strings, integers, booleans, null). It throws `Unsupported` at anything else, and
/// the callers then hand the whole text to `JSONDecoder`: it is a fast path, never a second
/// definition of what is valid.
public struct JSONScanner {
    public struct Unsupported: Error {}

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    public init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    public var atEnd: Bool {
        mutating get {
            skipSpace()
            return index == bytes.count
        }
    }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    public mutating func peek() throws -> UInt8 {
        skipSpace()
        guard index < bytes.count else { throw Unsupported() }
        return bytes[index]
    }

    public mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else { throw Unsupported() }
        index += 1
    }

    /// Consumes `byte` if it comes next.
    public mutating func take(_ byte: UInt8) throws -> Bool {
        guard try peek() == byte else { return false }
        index += 1
        return true
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Unsupported() }
        let start = word.utf8Start
        for i in 0..<count where bytes[index + i] != start[i] { throw Unsupported() }
        index += count
    }

    public mutating func string() throws -> String { try string(reusing: nil, nil) }

    /// A string; when its text equals `first` or `second`, that string itself, so a value that
    /// repeats (a unit's name on each of its enrolments, one change's stamp on every field it
    /// wrote) is compared instead of allocated and validated again.
    public mutating func string(reusing first: String?, _ second: String?) throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        guard let slice = try plainRest() else { return try escapedString(from: start) }
        if let first, Self.equal(first, slice) { return first }
        if let second, Self.equal(second, slice) { return second }
        // Invalid UTF-8 is Foundation's to refuse, not ours to repair.
        guard Self.isValidUTF8(slice) else { throw Unsupported() }
        return String(decoding: slice, as: UTF8.self)
    }

    /// The text of a string opened just before `index`, up to its closing quote (consumed); nil,
    /// stopped at the backslash, when it has an escape.
    private mutating func plainRest() throws -> UnsafeBufferPointer<UInt8>? {
        let start = index
        // Eight bytes at a time while none of them ends the run (a quote, a backslash, a
        // control byte): the byte loop below was the largest single item of reading a page.
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                guard !Self.stopsPlainText(word) else { break }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return UnsafeBufferPointer(rebasing: bytes[start..<index - 1])
            }
            if byte == UInt8(ascii: "\\") { return nil }
            guard byte >= 0x20 else { throw Unsupported() }
            index += 1
        }
        throw Unsupported()
    }

    static func equal(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { same($0, bytes) } ?? false
    }

    /// Byte equality by `memcmp` (the generic `elementsEqual` went byte by byte through
    /// iterators: a twentieth of a pull).
    static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// An object key as its bytes (valid UTF-8, without escapes; an escaped key is left to
    /// `JSONDecoder`), for matching against known names without making a string of it.
    public mutating func keyBytes() throws -> UnsafeBufferPointer<UInt8> {
        try expect(UInt8(ascii: "\""))
        guard let key = try plainRest(), Self.isValidUTF8(key) else { throw Unsupported() }
        return key
    }

    /// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. (The standard
    /// library's `String(validating:)` does the same through generic code that cost a tenth
    /// of a pull.)
    static func isValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        // ASCII eight bytes at a time: keys, stamps and most values are nothing else.
        if let base = b.baseAddress {
            while i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & Self.highBits == 0 { i += 8 }
        }
        while i < n {
            let c = b[i]
            if c < 0x80 {
                i += 1
                continue
            }
            func continuation(_ k: Int) -> Bool { i + k < n && b[i + k] & 0xC0 == 0x80 }
            switch c {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return false }
                let c1 = b[i + 1]
                if c == 0xE0 && c1 < 0xA0 { return false }  // overlong
                if c == 0xED && c1 >= 0xA0 { return false }  // surrogate
                i += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let c1 = b[i + 1]
                if c == 0xF0 && c1 < 0x90 { return false }  // overlong
                if c == 0xF4 && c1 >= 0x90 { return false }  // past U+10FFFF
                i += 4
            default:
                return false
            }
        }
        return true
    }

    private static let lowBits: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether any byte of `word` is a quote, a backslash or below 0x20 (exact, by the
    /// "has zero byte" and "has byte less than" bit tricks).
    static func stopsPlainText(_ word: UInt64) -> Bool {
        func hasZero(_ v: UInt64) -> Bool { (v &- lowBits) & ~v & highBits != 0 }
        let quote = hasZero(word ^ (lowBits &* 0x22))
        let backslash = hasZero(word ^ (lowBits &* 0x5C))
        let control = (word &- lowBits &* 0x20) & ~word & highBits != 0
        return quote || backslash || control
    }

    private mutating func escapedString(from start: Int) throws -> String {
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                // Invalid UTF-8 or a lone surrogate: let Foundation decide.
                guard let text = String(validating: out, as: UTF8.self) else { throw Unsupported() }
                return text
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw Unsupported() }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        try literal("\\u")
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Unsupported() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw Unsupported() }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default: throw Unsupported()
                }
            default:
                guard byte >= 0x20 else { throw Unsupported() }
                out.append(byte)
            }
        }
        throw Unsupported()
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw Unsupported() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            index += 1
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = value << 4 | UInt32(c - UInt8(ascii: "A") + 10)
            default: throw Unsupported()
            }
        }
        return value
    }

    /// An integer without fraction or exponent that fits Int64.
    public mutating func integer() throws -> Int64 {
        skipSpace()
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let start = index
        var magnitude: UInt64 = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw Unsupported() }
            magnitude = s
            index += 1
        }
        let digits = index - start
        guard digits > 0, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { throw Unsupported() }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw Unsupported()
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw Unsupported() }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw Unsupported() }
        return Int64(magnitude)
    }

    public mutating func bool() throws -> Bool {
        switch try peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default: throw Unsupported()
        }
    }

    /// Consumes `null` if it comes next.
    public mutating func null() throws -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// A field value; a string equal to `previous`'s is that string (see `string(reusing:_:)`).
    public mutating func fieldValue(reusing previous: FieldValue? = nil) throws -> FieldValue {
        switch try peek() {
        case UInt8(ascii: "\""):
            guard case .string(let text) = previous else { return .string(try string()) }
            return .string(try string(reusing: text, nil))
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try bool())
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default: return .int(try integer())
        }
    }

    /// `{ "key": value, … }`, each value read by `value`; a repeated key keeps the last value.
    /// `capacity`: how many keys to make room for at once (a dictionary grown key by key
    /// rehashes every key at each doubling).
    public mutating func object<V>(capacity: Int = 0, _ value: (inout JSONScanner) throws -> V) throws -> [String: V] {
        var map: [String: V] = [:]
        map.reserveCapacity(capacity)
        try members { key, scanner in map[key] = try value(&scanner) }
        return map
    }

    /// Calls `body` with each key of an object, positioned at its value.
    public mutating func members(_ body: (String, inout JSONScanner) throws -> Void) throws {
        try keyedMembers({ try $0.string() }, body)
    }

    /// The same with each key as its bytes (`keyBytes`).
    public mutating func rawMembers(_ body: (UnsafeBufferPointer<UInt8>, inout JSONScanner) throws -> Void) throws {
        try keyedMembers({ try $0.keyBytes() }, body)
    }

    private mutating func keyedMembers<Key>(
        _ key: (inout JSONScanner) throws -> Key, _ body: (Key, inout JSONScanner) throws -> Void
    ) throws {
        try expect(UInt8(ascii: "{"))
        if try take(UInt8(ascii: "}")) { return }
        repeat {
            let name = try key(&self)
            try expect(UInt8(ascii: ":"))
            try body(name, &self)
        } while try take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// `[ element, … ]`.
    public mutating func array<E>(_ element: (inout JSONScanner) throws -> E) throws -> [E] {
        var items: [E] = []
        try elements { items.append(try element(&$0)) }
        return items
    }

    /// Calls `body` positioned at each element of an array.
    public mutating func elements(_ body: (inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if try take(UInt8(ascii: "]")) { return }
        repeat { try body(&self) } while try take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    /// Passes over a value (any JSON this scanner reads), answering where it began.
    @discardableResult
    public mutating func skipValue() throws -> Int {
        let first = try peek()  // past any space
        let start = index
        switch first {
        case UInt8(ascii: "{"): try rawMembers { _, scanner in try scanner.skipValue() }
        case UInt8(ascii: "["): try elements { try $0.skipValue() }
        default: _ = try fieldValue()
        }
        return start
    }

    /// An object that is the whole text.
    public mutating func wholeObject<V>(_ value: (inout JSONScanner) throws -> V) throws -> [String: V] {
        let map = try object(value)
        guard atEnd else { throw Unsupported() }
        return map
    }
}

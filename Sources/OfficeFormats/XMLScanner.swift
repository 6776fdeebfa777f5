/// A small pull scanner for the XML inside OOXML packages. It is not a validating parser: it
/// reports start tags, end tags and text in order, which is all a worksheet reader needs, and
/// throws instead of trapping on malformed input.
struct XMLScanner {
    enum Event: Equatable {
        /// `name` is the local name: "x:row" and "row" both arrive as "row".
        case start(name: String, attributes: [String: String], selfClosing: Bool)
        case end(name: String)
        case text(String)
    }

    private let bytes: [UInt8]
    private var p = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        // Skip a UTF-8 byte order mark.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { p = 3 }
    }

    mutating func next() throws(OfficeFormatError) -> Event? {
        while p < bytes.count {
            if bytes[p] != UInt8(ascii: "<") {
                let start = p
                while p < bytes.count, bytes[p] != UInt8(ascii: "<") { p += 1 }
                return .text(XMLText.decode(bytes[start..<p]))
            }
            guard p + 1 < bytes.count else { throw .corruptWorkbook }
            switch bytes[p + 1] {
            case UInt8(ascii: "?"):
                try skip(past: "?>")
            case UInt8(ascii: "!"):
                if hasPrefix("<![CDATA[", at: p) {
                    let start = p + 9
                    guard let end = find("]]>", from: start) else { throw .corruptWorkbook }
                    p = end + 3
                    return .text(String(decoding: bytes[start..<end], as: UTF8.self))
                } else if hasPrefix("<!--", at: p) {
                    try skip(past: "-->")
                } else {
                    // DOCTYPE and friends; OOXML parts never carry an internal subset.
                    try skip(past: ">")
                }
            case UInt8(ascii: "/"):
                p += 2
                let name = readName()
                try skip(past: ">")
                return .end(name: name)
            default:
                p += 1
                return try readStartTag()
            }
        }
        return nil
    }

    private mutating func readStartTag() throws(OfficeFormatError) -> Event {
        let name = readName()
        guard !name.isEmpty else { throw .corruptWorkbook }
        var attributes: [String: String] = [:]
        while true {
            skipSpace()
            guard p < bytes.count else { throw .corruptWorkbook }
            if bytes[p] == UInt8(ascii: ">") {
                p += 1
                return .start(name: name, attributes: attributes, selfClosing: false)
            }
            if bytes[p] == UInt8(ascii: "/") {
                guard p + 1 < bytes.count, bytes[p + 1] == UInt8(ascii: ">") else { throw .corruptWorkbook }
                p += 2
                return .start(name: name, attributes: attributes, selfClosing: true)
            }
            // Attributes keep their prefix ("r:id") so namespace declarations stay apart.
            let nameStart = p
            while p < bytes.count, !isSpace(bytes[p]), bytes[p] != UInt8(ascii: "="),
                bytes[p] != UInt8(ascii: ">"), bytes[p] != UInt8(ascii: "/")
            { p += 1 }
            let attrName = String(decoding: bytes[nameStart..<p], as: UTF8.self)
            skipSpace()
            guard !attrName.isEmpty, p < bytes.count, bytes[p] == UInt8(ascii: "=") else { throw .corruptWorkbook }
            p += 1
            skipSpace()
            guard p < bytes.count, bytes[p] == UInt8(ascii: "\"") || bytes[p] == UInt8(ascii: "'") else {
                throw .corruptWorkbook
            }
            let quote = bytes[p]
            p += 1
            let valueStart = p
            while p < bytes.count, bytes[p] != quote { p += 1 }
            guard p < bytes.count else { throw .corruptWorkbook }
            attributes[attrName] = XMLText.decode(bytes[valueStart..<p])
            p += 1
        }
    }

    /// Reads a tag name and drops its namespace prefix.
    private mutating func readName() -> String {
        var localStart = p
        while p < bytes.count, !isSpace(bytes[p]), bytes[p] != UInt8(ascii: ">"), bytes[p] != UInt8(ascii: "/") {
            if bytes[p] == UInt8(ascii: ":") { localStart = p + 1 }
            p += 1
        }
        return String(decoding: bytes[localStart..<p], as: UTF8.self)
    }

    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private mutating func skipSpace() {
        while p < bytes.count, isSpace(bytes[p]) { p += 1 }
    }

    private func hasPrefix(_ s: StaticString, at i: Int) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= bytes.count else { return false }
        let base = s.utf8Start
        for k in 0..<n where bytes[i + k] != base[k] { return false }
        return true
    }

    private func find(_ s: StaticString, from i: Int) -> Int? {
        var j = i
        while j < bytes.count {
            if hasPrefix(s, at: j) { return j }
            j += 1
        }
        return nil
    }

    private mutating func skip(past s: StaticString) throws(OfficeFormatError) {
        guard let end = find(s, from: p) else { throw .corruptWorkbook }
        p = end + s.utf8CodeUnitCount
    }
}

/// Escaping and entity decoding shared by the scanner and the writer.
enum XMLText {
    /// Decodes the five predefined entities and numeric references; anything unknown is kept
    /// literally rather than rejected, since a lost "&" is worse than a visible one.
    static func decode(_ raw: ArraySlice<UInt8>) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let b = raw[i]
            guard b == UInt8(ascii: "&"),
                let semi = raw[i..<min(raw.endIndex, i + 12)].firstIndex(of: UInt8(ascii: ";"))
            else {
                out.append(b)
                i += 1
                continue
            }
            let name = String(decoding: raw[(i + 1)..<semi], as: UTF8.self)
            if let replacement = entity(name) {
                out += Array(replacement.utf8)
                i = semi + 1
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func entity(_ name: String) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value: UInt32?
            if digits.hasPrefix("x") || digits.hasPrefix("X") {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let value, let scalar = Unicode.Scalar(value) else { return nil }
            return String(Character(scalar))
        }
    }

    /// Escapes text for element content and attribute values, and drops the control
    /// characters XML 1.0 cannot carry (Excel refuses a file that contains them).
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

import Foundation
import MutualAidDomain

/// JSON text of the flat maps a synced record is stored and sent as (field values and their
/// clocks), written and read by hand. Foundation's coders cost several microseconds per field
/// on Linux (a thrown error per failed type guess in `FieldValue.init(from:)`), which dominated
/// pull and push; these maps are flat, so a small scanner does. Anything it does not handle
/// (floats, nesting, malformed text) goes to `JSONDecoder`, so what is accepted, and the
/// errors for what is not, stay those of Foundation.
public enum FlatJSON {
    // MARK: Writing

    /// `{"key":"value",…}`. Key order is not significant (nothing compares these texts), so
    /// they are written in the dictionary's (or the pairs') order rather than sorted.
    @inlinable
    public static func encode<Pairs: Sequence>(_ clocks: Pairs) -> String
    where Pairs.Element == (key: String, value: String) {
        var out = [UInt8]()
        out.reserveCapacity(clocks.underestimatedCount * 48 + 2)
        write(clocks, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func encode(_ fields: FieldMap) -> String {
        var out = [UInt8]()
        out.reserveCapacity(fields.count * 32 + 2)
        write(fields, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inlinable
    public static func write<Pairs: Sequence>(_ clocks: Pairs, into out: inout [UInt8])
    where Pairs.Element == (key: String, value: String) {
        out.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in clocks {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writeString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            writeString(value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    public static func write(_ fields: FieldMap, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in fields {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writeString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            write(value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    public static func write(_ value: FieldValue, into out: inout [UInt8]) {
        switch value {
        case .string(let s): writeString(s, into: &out)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest
    /// as UTF-8.
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most texts need no escape at all: check and copy their bytes in one go (through the
        // generic UTF8View iterator this check was a tenth of applying a pulled page).
        let copied =
            s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
                for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    return false
                }
                out.append(contentsOf: bytes)
                return true
            } ?? false
        if copied {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "\n"):
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"):
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"):
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                out.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                ])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    // MARK: Reading

    public static func decodeClocks(_ text: String) throws -> [String: String] {
        var text = text
        if let map = text.withUTF8({ bytes -> [String: String]? in
            var scanner = JSONScanner(bytes)
            return try? scanner.wholeObject { scanner in try scanner.string() }
        }) {
            return map
        }
        return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }

    public static func decodeFields(_ text: String) throws -> FieldMap {
        var text = text
        if let map = text.withUTF8({ bytes -> FieldMap? in
            var scanner = JSONScanner(bytes)
            return try? scanner.wholeObject { scanner in try scanner.fieldValue() }
        }) {
            return map
        }
        return try JSONDecoder().decode(FieldMap.self, from: Data(text.utf8))
    }
}

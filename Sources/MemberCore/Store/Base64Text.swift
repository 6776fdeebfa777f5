/// Standard base64 with padding (RFC 4648 §4), what `Data.base64EncodedString()` writes,
/// straight into a `String` after a prefix: one allocation for a sealed field's text.
enum Base64Text {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func string(prefix: String, _ bytes: UnsafeRawBufferPointer) -> String {
        let length = prefix.utf8.count + (bytes.count + 2) / 3 * 4
        return String(unsafeUninitializedCapacity: length) { out in
            var o = 0
            for byte in prefix.utf8 {
                out[o] = byte
                o += 1
            }
            var i = 0
            alphabet.withUnsafeBufferPointer { table in
                while i + 3 <= bytes.count {
                    let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                    out[o] = table[Int(n >> 18)]
                    out[o + 1] = table[Int(n >> 12 & 63)]
                    out[o + 2] = table[Int(n >> 6 & 63)]
                    out[o + 3] = table[Int(n & 63)]
                    i += 3
                    o += 4
                }
                let rest = bytes.count - i
                if rest > 0 {
                    let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
                    out[o] = table[Int(n >> 18)]
                    out[o + 1] = table[Int(n >> 12 & 63)]
                    out[o + 2] = rest == 2 ? table[Int(n >> 6 & 63)] : UInt8(ascii: "=")
                    out[o + 3] = UInt8(ascii: "=")
                    o += 4
                }
            }
            return o
        }
    }
}

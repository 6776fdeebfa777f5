import Crypto
import Foundation

/// The canonical hash of a record's synced fields and of a table, computed the same way by
/// the client and the server so `verify` can name what differs.
public enum RecordDigest {
    public static func hash(_ fields: FieldMap) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(fields)) ?? Data()
        return hex(SHA256.hash(data: data))
    }

    /// Order-independent over the input: records are sorted by id first.
    public static func tableDigest(_ records: [RecordHash]) -> String {
        var hasher = SHA256()
        for r in records.sorted(by: { $0.id < $1.id }) {
            hasher.update(data: Data("\(r.id):\(r.hash)\n".utf8))
        }
        return hex(hasher.finalize())
    }

    /// `tableDigest` fed one record at a time, in id order (as the stores page them).
    public struct TableHasher {
        private var hasher = SHA256()
        public private(set) var count = 0
        public init() {}
        public mutating func add(_ r: RecordHash) {
            hasher.update(data: Data("\(r.id):\(r.hash)\n".utf8))
            count += 1
        }
        public func finish() -> String { RecordDigest.hex(hasher.finalize()) }
    }

    /// Lower-case hex. By table, not `String(format:)`: that formatted each byte through
    /// CoreFoundation and was two fifths of the server's time per pushed change.
    public static func hex(_ digest: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

extension RecordDigest {
    /// The content of a pushed change, independent of field order: the server keeps it beside
    /// the change id so the same id arriving with other content is told apart from a retry.
    public static func change(_ change: Change) -> String {
        // Gathered into one buffer and hashed once: a hasher update per piece (five per field)
        // cost more than the hashing. The bytes, and so the digest, are those of before.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        func add(_ text: String) {
            var text = text
            text.withUTF8 { utf8 in
                appendDecimal(utf8.count, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                bytes.append(contentsOf: utf8)
            }
        }
        add(change.table)
        add(change.recordId)
        add(change.op.rawValue)
        add(change.hlc)
        for (name, value) in change.fields.sorted(by: { $0.key < $1.key }) {
            add(name)
            switch value {
            case .string(let s):
                add("s")
                add(s)
            case .int(let i):
                add("i")
                add(String(i))
            case .bool(let b): add(b ? "t" : "f")
            case .null: add("n")
            }
        }
        return hex(SHA256.hash(data: bytes))
    }

    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &bytes) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}

/// One record's hash in a checksum: what a client compares with its replica.
public struct RecordHash: Codable, Hashable, Sendable {
    public var id: String
    public var hash: String
    public init(id: String, hash: String) {
        self.id = id
        self.hash = hash
    }
}

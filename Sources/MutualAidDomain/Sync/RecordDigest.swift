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

    public static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

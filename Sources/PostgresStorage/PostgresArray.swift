import NIOCore
import PostgresNIO

/// A `text[]` parameter in PostgreSQL's binary array format: a batch's rows go as one statement
/// with a few array values (`unnest(CAST(? AS text[]), …)`) instead of one multi-row statement
/// per hundred rows, each a round trip. Binary, because the quoted literal (`{"a","b",NULL}`)
/// of a push's six arrays, one element per change, was built by the server (about 7 % of its
/// samples in a PostgreSQL push) only for PostgreSQL to parse it again.
struct TextArray: PostgresDynamicTypeEncodable {
    let elements: [String?]

    var psqlType: PostgresDataType { .textArray }
    var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        // array_recv: dimensions, has-NULL flag, element type, then per dimension its length and
        // lower bound; an empty array has no dimensions.
        buffer.writeInteger(Int32(elements.isEmpty ? 0 : 1))
        buffer.writeInteger(Int32(elements.contains(where: { $0 == nil }) ? 1 : 0))
        buffer.writeInteger(PostgresDataType.text.rawValue)
        if !elements.isEmpty {
            buffer.writeInteger(Int32(elements.count))
            buffer.writeInteger(Int32(1))
        }
        for element in elements {
            guard let element else {
                buffer.writeInteger(Int32(-1))
                continue
            }
            buffer.writeInteger(Int32(element.utf8.count))
            buffer.writeString(element)
        }
    }
}

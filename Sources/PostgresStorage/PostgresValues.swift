import Foundation
import NIOCore
import PostgresNIO
import SyncStorage

/// How store values cross to PostgreSQL and back.
///
/// Integers, reals and blobs are bound with their types; text is bound untyped (as a quoted
/// literal would be), so PostgreSQL reads it as whatever the column or operator wants, the way
/// SQLite's affinity does for the same statements.
enum PostgresValues {
    static func bindings(_ arguments: SQLArguments) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: arguments.values.count)
        for value in arguments.values {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let i): bindings.append(i)
            case .real(let d): bindings.append(d)
            case .text(let s): bindings.append(UntypedText(text: s))
            case .blob(let data): bindings.append(ByteBuffer(bytes: data))
            case .textArray(let elements): bindings.append(TextArray(elements: elements))
            }
        }
        return bindings
    }

    /// The types `bindings` declares, in the same order: what a named statement is prepared with.
    static func types(_ arguments: SQLArguments) -> [PostgresDataType] {
        arguments.values.map { value in
            switch value {
            case .null: .null
            case .integer: .int8
            case .real: .float8
            case .text: PostgresDataType(0)
            case .blob: .bytea
            case .textArray: .textArray
            }
        }
    }

    /// A cell as a store value: every integer width is an integer, an integral numeric (what
    /// `SUM` of a BIGINT answers) is an integer too, booleans are 0/1.
    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2: return .integer(Int64(try cell.decode(Int16.self)))
        case .int4: return .integer(Int64(try cell.decode(Int32.self)))
        case .int8, .oid: return .integer(try cell.decode(Int64.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .numeric:
            let text = "\(try cell.decode(Decimal.self))"
            if let integer = Int64(text) { return .integer(integer) }
            guard let real = Double(text) else { throw UnreadableColumn(column: cell.columnName) }
            return .real(real)
        case .bytea:
            var buffer = try cell.decode(ByteBuffer.self)
            return .blob(buffer.readData(length: buffer.readableBytes) ?? Data())
        case .void: return .null
        default: return .text(try cell.decode(String.self))
        }
    }

    struct UnreadableColumn: Error, CustomStringConvertible {
        let column: String
        var description: String { "PostgreSQL column \(column) holds a value the store cannot read" }
    }
}

/// A parameter of no declared type in text form: PostgreSQL infers its type from where it
/// stands.
struct UntypedText: PostgresDynamicTypeEncodable {
    let text: String

    var psqlType: PostgresDataType { PostgresDataType(0) }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        buffer.writeString(text)
    }
}

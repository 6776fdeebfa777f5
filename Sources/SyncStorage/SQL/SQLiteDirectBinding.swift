import Foundation
import GRDB
import GRDBSQLite

/// Runs statements with their values bound straight to SQLite and reads results straight back.
/// GRDB's `StatementArguments` is built through generic code that is not specialised outside
/// GRDB: a pushed batch's ledger binds thousands of values, and building the arguments cost more
/// than SQLite's insert. Its `Row` copies every column into a value of its own before ours is
/// made: reading a claim's fifty columns that way was most of loading it.
enum SQLiteDirectBinding {
    /// SQLite copies the bytes before the call returns (only empty texts: see `bound`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    /// SQLite reads the bytes where they are, for as long as they stay bound.
    private static let inPlace = unsafeBitCast(0, to: sqlite3_destructor_type.self)

    static func execute(_ statement: Statement, _ values: [SQLValue]) throws {
        try bound(statement, values) { handle in
            while true {
                switch sqlite3_step(handle) {
                case SQLITE_DONE: return
                case SQLITE_ROW: continue
                case let code: throw error(code, statement)
                }
            }
        }
    }

    /// The rows of a reading statement, at most `limit` of them; `columns` names each row's values.
    static func fetch(_ statement: Statement, _ values: [SQLValue], columns: [String], limit: Int = .max) throws
        -> [SQLRow]
    {
        try bound(statement, values) { handle in
            let count = sqlite3_column_count(handle)
            var rows: [SQLRow] = []
            while rows.count < limit {
                switch sqlite3_step(handle) {
                case SQLITE_DONE: return rows
                case SQLITE_ROW:
                    var row: [SQLValue] = []
                    row.reserveCapacity(Int(count))
                    for column in 0..<count { row.append(value(handle, column)) }
                    rows.append(SQLRow(columns: columns, values: row))
                case let code: throw error(code, statement)
                }
            }
            return rows
        }
    }

    /// Runs `body` with `values` bound, the statement reset and its bindings cleared after it.
    /// Texts and blobs are copied once into one buffer that SQLite reads in place while `body`
    /// runs. Bound with SQLite's own copy, each took an allocation, a copy and a free: a first
    /// pull binds a dozen texts per row, and that was over a tenth of its writer's instructions.
    private static func bound<T>(_ statement: Statement, _ values: [SQLValue], _ body: (OpaquePointer) throws -> T)
        throws -> T
    {
        let handle = statement.sqliteStatement
        // A statement from the cache may hold bindings of its last use.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard values.count == Int(sqlite3_bind_parameter_count(handle)) else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE, message: "wrong number of statement arguments: \(values.count)",
                sql: statement.sql)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.reduce(0) { $0 + $1.boundByteCount })
        for value in values {
            switch value {
            case .text(let text): bytes.append(contentsOf: text.utf8)
            case .blob(let data): bytes.append(contentsOf: data)
            default: break
            }
        }
        return try bytes.withUnsafeBufferPointer { buffer in
            // SQLite must not keep pointers into the buffer once it is gone.
            defer {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
            var offset = 0
            for (i, value) in values.enumerated() {
                let index = Int32(i + 1)
                let code: Int32
                switch value {
                case .null: code = sqlite3_bind_null(handle, index)
                case .integer(let integer): code = sqlite3_bind_int64(handle, index, integer)
                case .real(let real): code = sqlite3_bind_double(handle, index, real)
                case .text(let text):
                    // By length: a text may hold U+0000. An empty one gets a pointer of its own,
                    // as a null pointer would bind NULL.
                    let count = text.utf8.count
                    if count == 0 {
                        code = sqlite3_bind_text(handle, index, "", 0, transient)
                    } else {
                        code = buffer.baseAddress!.advanced(by: offset).withMemoryRebound(
                            to: CChar.self, capacity: count
                        ) {
                            sqlite3_bind_text(handle, index, $0, Int32(count), inPlace)
                        }
                    }
                    offset += count
                case .blob(let data):
                    code =
                        data.isEmpty
                        ? sqlite3_bind_zeroblob(handle, index, 0)
                        : sqlite3_bind_blob(handle, index, buffer.baseAddress! + offset, Int32(data.count), inPlace)
                    offset += data.count
                case .textArray:
                    throw DatabaseError(
                        resultCode: .SQLITE_MISUSE, message: "SQLite has no array parameters", sql: statement.sql)
                }
                guard code == SQLITE_OK else { throw error(code, statement) }
            }
            return try body(handle)
        }
    }

    private static func value(_ handle: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            // By length, as bound: a text may hold U+0000. SQLite gives no pointer for an empty one.
            let bytes = Int(sqlite3_column_bytes(handle, column))
            guard let text = sqlite3_column_text(handle, column), bytes > 0 else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: bytes), as: UTF8.self))
        case SQLITE_BLOB:
            let bytes = Int(sqlite3_column_bytes(handle, column))
            guard let blob = sqlite3_column_blob(handle, column), bytes > 0 else { return .blob(Data()) }
            return .blob(Data(bytes: blob, count: bytes))
        default: return .null
        }
    }

    private static func error(_ code: Int32, _ statement: Statement) -> DatabaseError {
        // SQLite's message names tables and columns, never values.
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: String(cString: sqlite3_errmsg(sqlite3_db_handle(statement.sqliteStatement))),
            sql: statement.sql)
    }
}

extension SQLValue {
    /// The bytes a text or blob puts in the binding buffer.
    fileprivate var boundByteCount: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .blob(let data): data.count
        default: 0
        }
    }
}

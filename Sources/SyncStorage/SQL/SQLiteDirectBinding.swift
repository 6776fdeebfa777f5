import Foundation
import GRDB
import GRDBSQLite

/// Runs statements with their values bound straight to SQLite and reads results straight back.
/// GRDB's `StatementArguments` is built through generic code that is not specialised outside
/// GRDB: a pushed batch's ledger binds thousands of values, and building the arguments cost more
/// than SQLite's insert. Its `Row` copies every column into a value of its own before ours is
/// made: reading a claim's fifty columns that way was most of loading it.
enum SQLiteDirectBinding {
    /// SQLite copies each text and blob before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static func execute(_ statement: Statement, _ values: [SQLValue]) throws {
        try bind(statement, values)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_DONE: return
            case SQLITE_ROW: continue
            case let code: throw error(code, statement)
            }
        }
    }

    /// The rows of a reading statement, at most `limit` of them; `columns` names each row's values.
    static func fetch(_ statement: Statement, _ values: [SQLValue], columns: [String], limit: Int = .max) throws
        -> [SQLRow]
    {
        try bind(statement, values)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
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

    private static func bind(_ statement: Statement, _ values: [SQLValue]) throws {
        let handle = statement.sqliteStatement
        // A statement from the cache may hold bindings of its last use.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard values.count == Int(sqlite3_bind_parameter_count(handle)) else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE, message: "wrong number of statement arguments: \(values.count)",
                sql: statement.sql)
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(handle, index)
            case .integer(let integer): code = sqlite3_bind_int64(handle, index, integer)
            case .real(let real): code = sqlite3_bind_double(handle, index, real)
            case .text(var text):
                // By length: a text may hold U+0000. An empty one gets a pointer of its own, as
                // a null pointer would bind NULL.
                code = text.withUTF8 { utf8 in
                    guard let base = utf8.baseAddress, !utf8.isEmpty else {
                        return sqlite3_bind_text(handle, index, "", 0, transient)
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                        sqlite3_bind_text(handle, index, $0, Int32(utf8.count), transient)
                    }
                }
            case .blob(let data):
                code = data.withUnsafeBytes { bytes in
                    guard let base = bytes.baseAddress, !bytes.isEmpty else {
                        return sqlite3_bind_zeroblob(handle, index, 0)
                    }
                    return sqlite3_bind_blob(handle, index, base, Int32(bytes.count), transient)
                }
            case .textArray:
                throw DatabaseError(
                    resultCode: .SQLITE_MISUSE, message: "SQLite has no array parameters", sql: statement.sql)
            }
            guard code == SQLITE_OK else { throw error(code, statement) }
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

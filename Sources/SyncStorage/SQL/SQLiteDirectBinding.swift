import GRDB
import GRDBSQLite

/// Runs a write statement with its values bound straight to SQLite. GRDB's `StatementArguments`
/// is built through generic code that is not specialised outside GRDB: a pushed batch's ledger
/// binds thousands of values, and building the arguments cost more than SQLite's insert.
/// Reading statements keep GRDB's way (its cursors read the values back).
enum SQLiteDirectBinding {
    /// SQLite copies each text and blob before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static func execute(_ statement: Statement, _ values: [SQLValue]) throws {
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
            }
            guard code == SQLITE_OK else { throw error(code, statement) }
        }
        defer { sqlite3_reset(handle) }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_DONE: return
            case SQLITE_ROW: continue
            case let code: throw error(code, statement)
            }
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

import Foundation
import GRDB
import SyncStorage
import Testing

/// The store's statements on SQLite bind and read their values straight from SQLite
/// (`SQLiteDirectBinding`): every kind of value must arrive and come back whole, and a refused
/// statement must be the store's error, not a crash.
@Suite struct SQLiteDirectBindingTests {
    @Test func everyKindOfValueArrivesWholeAndRefusalsAreErrors() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("binding-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = SQLiteDatabase(try DurableSQLite.pool(path: folder.appendingPathComponent("b.sqlite").path))
        let insert = "INSERT INTO t (a, b, c, d, e) VALUES (?, ?, ?, ?, ?)"
        let rows = try await database.write { db in
            try db.execute(sql: "CREATE TABLE t (a TEXT, b BLOB, c INTEGER, d REAL, e TEXT NOT NULL UNIQUE)")
            try db.execute(
                sql: insert,
                arguments: SQLArguments([.text("甲\u{0}乙"), .blob(Data()), .integer(-7), .real(1.5), .text("")]))
            try db.execute(
                sql: insert,
                arguments: SQLArguments([.null, .blob(Data([0, 1, 2])), .null, .null, .text("张伟")]))
            // The same value again breaks the UNIQUE constraint: the store's own error.
            #expect(throws: SQLConstraintViolation.self) {
                try db.execute(sql: insert, arguments: SQLArguments([.null, .null, .null, .null, .text("张伟")]))
            }
            #expect(throws: (any Error).self) {
                try db.execute(sql: insert, arguments: SQLArguments([.text("too few")]))
            }
            // The cached statement still works after both.
            try db.execute(sql: insert, arguments: SQLArguments([.null, .null, .integer(3), .null, .text("李娜")]))
            return try db.fetchAll(
                sql:
                    "SELECT a, hex(CAST(a AS BLOB)) AS bytes, b, typeof(b) AS tb, c, d, e, typeof(e) AS te FROM t ORDER BY rowid"
            )
        }
        #expect(rows.count == 3)
        // Every byte, nothing cut at the NUL (GRDB's reading of text would stop there).
        #expect(try rows[0].value("bytes") == .text("E794B200E4B999"))
        #expect(try rows[0].value("tb") == .text("blob"))  // an empty blob, not NULL
        #expect(try rows[0].value("c") == .integer(-7))
        #expect(try rows[0].value("d") == .real(1.5))
        #expect(try rows[0].value("te") == .text("text"))  // an empty text, not NULL
        #expect(try rows[1].value("a") == .null)
        #expect(try rows[1].value("b") == .blob(Data([0, 1, 2])))
        #expect(try rows[1].value("e") == .text("张伟"))
        #expect(try rows[2].value("c") == .integer(3))
        #expect(try rows[2].value("e") == .text("李娜"))
        // Read back whole too: the text past its NUL, an empty blob and an empty text as such.
        #expect(try rows[0].value("a") == .text("甲\u{0}乙"))
        #expect(try rows[0].value("b") == .blob(Data()))
        #expect(try rows[0].value("e") == .text(""))
        let (one, none) = try await database.read { db in
            (
                try db.fetchOne(sql: "SELECT c AS Counted, e FROM t WHERE c = ?", arguments: [3]),
                try db.fetchOne(sql: "SELECT c FROM t WHERE c = ?", arguments: [99])
            )
        }
        // Column names in lower case, as PostgreSQL gives unquoted ones; no row is nil.
        #expect(one?.columns == ["counted", "e"])
        #expect(try one?.value("Counted") == .integer(3))
        #expect(none == nil)
        await #expect(throws: (any Error).self) {
            try await database.read { db in try db.fetchOne(sql: "SELECT c FROM t WHERE c = ?", arguments: []) }
        }
    }
}

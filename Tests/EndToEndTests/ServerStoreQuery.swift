import Foundation
import GRDB
import TestSupport

/// Reads the server's case store from outside, as an operator would, on whichever store the
/// suite runs: the SQLite file through GRDB, PostgreSQL through `psql` (values bound as psql
/// variables, never spliced). Every value comes back as text; nil is NULL.
func storeRow(_ server: ServerProcess, _ sql: String, _ arguments: [String] = []) throws -> [String?]? {
    guard TestStore.isPostgres else {
        return try DatabaseQueue(path: server.database).read { db in
            try Row.fetchOne(db, sql: sql, arguments: StatementArguments(arguments))
                .map { row in row.databaseValues.map(text) }
        }
    }
    var script = ""
    var number = 0
    for character in sql {
        if character == "?" {
            number += 1
            script += ":'a\(number)'"
        } else {
            script.append(character)
        }
    }
    let url = try server.storeArguments.last ?? ""
    let variables = arguments.enumerated().flatMap { ["-v", "a\($0.offset + 1)=\($0.element)"] }
    // NULL shows as \N: unlike the empty string, it cannot be a stored value here.
    let result = try run(
        "/usr/bin/psql",
        ["-X", "-q", "-A", "-t", "-F", "\u{1F}", "-P", "null=\\N", "-v", "ON_ERROR_STOP=1"] + variables + [url],
        stdin: script + ";\n")
    guard result.status == 0 else { throw SupportError("psql: \(result.stderr)") }
    guard let line = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).first, !line.isEmpty else {
        return nil
    }
    return line.split(separator: "\u{1F}", omittingEmptySubsequences: false).map { $0 == "\\N" ? nil : String($0) }
}

/// The first column of the first row as an integer.
func storeInt(_ server: ServerProcess, _ sql: String, _ arguments: [String] = []) throws -> Int? {
    try storeRow(server, sql, arguments)?.first.flatMap { $0.flatMap { Int($0) } }
}

private func text(_ value: DatabaseValue) -> String? {
    switch value.storage {
    case .null: nil
    case .int64(let i): String(i)
    case .double(let d): String(d)
    case .string(let s): s
    case .blob(let data): data.base64EncodedString()
    }
}

/// Changes the server's store from outside, as an operator would (for instance to let a code
/// expire without waiting five minutes).
func storeExecute(_ server: ServerProcess, _ sql: String, _ arguments: [String] = []) throws {
    guard TestStore.isPostgres else {
        return try DatabaseQueue(path: server.database).write { db in
            try db.execute(sql: sql, arguments: StatementArguments(arguments))
        }
    }
    _ = try storeRow(server, sql + " RETURNING 1", arguments)
}

import Foundation

/// The two rewrites PostgreSQL needs of the store's SQL text: `?` placeholders become `$1, $2…`,
/// and a migration file becomes its statements (the extended protocol takes one at a time).
/// Both skip string literals, quoted identifiers and comments, so a `?` or `;` inside them
/// stays text.
enum SQLText {
    static func numberingPlaceholders(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 8)
        var number = 0
        scan(sql) { character, isCode in
            if isCode && character == "?" {
                number += 1
                out += "$\(number)"
            } else {
                out.append(character)
            }
        }
        return out
    }

    static func statements(_ script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        scan(script) { character, isCode in
            if isCode && character == ";" {
                statements.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        statements.append(current)
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty && !isOnlyComments($0) }
    }

    private static func isOnlyComments(_ statement: String) -> Bool {
        statement.split(separator: "\n").allSatisfy {
            let line = $0.trimmingCharacters(in: .whitespaces)
            return line.isEmpty || line.hasPrefix("--")
        }
    }

    /// Calls `visit` with each character and whether it is SQL code (outside quotes and comments).
    private static func scan(_ sql: String, _ visit: (Character, Bool) -> Void) {
        enum State { case code, single, double, lineComment, blockComment }
        var state = State.code
        var previous: Character = " "
        for character in sql {
            switch state {
            case .code:
                if character == "'" {
                    state = .single
                } else if character == "\"" {
                    state = .double
                } else if character == "-" && previous == "-" {
                    state = .lineComment
                } else if character == "*" && previous == "/" {
                    state = .blockComment
                }
                visit(character, state == .code)
            case .single:
                // '' inside a literal closes and reopens it: the state comes back to .single.
                if character == "'" { state = .code }
                visit(character, false)
            case .double:
                if character == "\"" { state = .code }
                visit(character, false)
            case .lineComment:
                if character == "\n" { state = .code }
                visit(character, false)
            case .blockComment:
                if character == "/" && previous == "*" { state = .code }
                visit(character, false)
            }
            previous = character
        }
    }
}

import Foundation
import PostgresNIO
import Synchronization

/// Which of one connection's statements run as named prepared statements, and under which
/// names. PostgreSQL parses and plans an unnamed statement anew every time; P5 on PostgreSQL
/// spent about a third of the database's time doing that for the same few hundred texts. A
/// named statement is parsed once per connection and its plan kept (postgres-nio prepares a
/// name on its first use on the connection).
///
/// A text is named from its second use on the connection, so one-off statements stay unnamed,
/// and at most `capacity` texts are named per connection (each holds memory in its backend).
/// The key is the text with the types its arguments are bound with: a NULL goes untyped, so
/// the same text with a NULL is another statement.
///
/// postgres-nio remembers a failed preparation for good: every later use of that name on the
/// connection would fail the same way, even when the failure was the moment's (a statement
/// sent in a transaction already aborted). A name that fails before it ever succeeded is
/// therefore dropped and the text named anew on its next use, unless the failure is a value or
/// a constraint refused, which only a prepared statement's execution meets (a name dropped
/// stays prepared in its backend, so a statement refused again and again must not make new
/// ones).
final class StatementCache: Sendable {
    enum Plan: Equatable {
        /// Not a statement that may go named (a transaction's control, a session setting, a
        /// write run for its count that returns rows): sent as given, unnamed.
        case asGiven
        case unnamed(sql: String)
        case named(name: String, sql: String, key: Key)
    }

    struct Key: Hashable, Sendable {
        let sql: String
        let types: [PostgresDataType]
        let counted: Bool
    }

    private struct Entry {
        let index: Int
        /// The text as sent, `$n` numbered (and counting, when counted); nil: sent as given.
        let numbered: String?
        var uses = 1
        var isNamed = false
        var generation = 0
        var succeeded = false

        var name: String { "s\(index)_\(generation)" }
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var named = 0
    }

    static let defaultCapacity = 256
    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = StatementCache.defaultCapacity) {
        self.capacity = capacity
    }

    /// How to send `sql` (with `?` placeholders) bound with arguments of `types`; `counted`: run
    /// for how many rows it changed (an INSERT, UPDATE or DELETE goes as `StatementKind.counting`).
    /// What a text is, and its numbering, are worked out once per text.
    func plan(_ sql: String, types: [PostgresDataType], counted: Bool = false) -> Plan {
        let key = Key(sql: sql, types: types, counted: counted)
        return state.withLock { state in
            guard var entry = state.entries[key] else {
                let named = counted ? StatementKind.returnsNoRows(sql) : StatementKind.isQuery(sql)
                let numbered = named ? SQLText.numberingPlaceholders(counted ? StatementKind.counting(sql) : sql) : nil
                // Texts seen once are counted up to a bound (texts with values spliced in
                // would otherwise grow the table without end).
                if state.entries.count < 4 * capacity {
                    state.entries[key] = Entry(index: state.entries.count, numbered: numbered)
                }
                return numbered.map { .unnamed(sql: $0) } ?? .asGiven
            }
            guard let numbered = entry.numbered else { return .asGiven }
            entry.uses += 1
            if !entry.isNamed && state.named < capacity {
                entry.isNamed = true
                state.named += 1
            }
            state.entries[key] = entry
            return entry.isNamed ? .named(name: entry.name, sql: numbered, key: key) : .unnamed(sql: numbered)
        }
    }

    /// The named statement ran: its preparation is good for the connection's life.
    func succeeded(_ key: Key) {
        state.withLock { state in state.entries[key]?.succeeded = true }
    }

    /// The named statement failed: if it never succeeded, its preparation may be what failed,
    /// so the next use prepares it under a new name.
    func failed(_ key: Key) {
        state.withLock { state in
            if state.entries[key]?.succeeded == false { state.entries[key]?.generation += 1 }
        }
    }
}

/// Which texts may go named, and the form of one run for its count.
enum StatementKind {
    /// INSERT, UPDATE or DELETE without RETURNING: run for its row count.
    static func returnsNoRows(_ sql: String) -> Bool {
        guard let verb = firstWord(sql), ["insert", "update", "delete"].contains(verb) else { return false }
        return sql.range(of: "returning", options: .caseInsensitive) == nil
    }

    /// A statement that answers rows, or none, and changes nothing in the session.
    static func isQuery(_ sql: String) -> Bool {
        guard let verb = firstWord(sql) else { return false }
        return ["select", "with", "insert", "update", "delete"].contains(verb)
    }

    /// The statement as one that answers how many rows it changed. On its own line: the text
    /// may end in a line comment.
    static func counting(_ sql: String) -> String {
        "WITH changed AS (\(sql)\nRETURNING 1) SELECT count(*) FROM changed"
    }

    private static func firstWord(_ sql: String) -> String? {
        let word = sql.utf8.drop { $0 == 32 || $0 == 10 || $0 == 9 || $0 == 13 }.prefix { $0 >= 65 }
        return word.count <= 6 ? String(decoding: word, as: UTF8.self).lowercased() : nil
    }
}

import PostgresNIO

/// A statement text run as a named prepared statement, its rows read. postgres-nio takes a
/// prepared statement's name, text and parameter types from its type; the store's texts are
/// known only at run time, so they are read from the task running the statement
/// (`NamedText.current`, bound for the whole call).
struct NamedQuery: PostgresPreparedStatement {
    static var name: String { NamedText.current.name }
    static var sql: String { NamedText.current.sql }
    static var bindingDataTypes: [PostgresDataType] { NamedText.current.types }

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

struct NamedText: Sendable {
    let name: String
    let sql: String
    let types: [PostgresDataType]

    @TaskLocal static var current = NamedText(name: "", sql: "", types: [])
}

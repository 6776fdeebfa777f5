import GRDB

/// A database that a newer release has migrated. Refused at start: this release would write
/// without what the newer one keeps alongside (the push watermark is raised with every ledger
/// row; a ledger row without it could be applied twice), so every instance of a site must run
/// the same release.
public struct NewerSchema: Error, CustomStringConvertible {
    /// The migrations the database has and this release does not know.
    public let unknown: [String]

    public init(unknown: [String]) { self.unknown = unknown }

    /// Throws when the database has applied a migration this release does not have.
    public static func check(applied: some Sequence<String>, known: some Sequence<String>) throws(NewerSchema) {
        let unknown = Set(applied).subtracting(known).sorted()
        guard unknown.isEmpty else { throw NewerSchema(unknown: unknown) }
    }

    public var description: String {
        "数据库已由更新版本的 sync-server 升级（本程序不认识的结构版本：\(unknown.joined(separator: "、"))），"
            + "本程序不能使用它：请先停止所有服务器实例，全部升级到同一版本后再启动"
    }
}

extension NewerSchema {
    /// Throws when the SQLite database has applied (GRDB's ledger, none before the first
    /// migration) a migration `migrator` does not register. Run before `migrate`.
    public static func check(_ reader: some DatabaseReader, against migrator: DatabaseMigrator) throws {
        // GRDB's `hasBeenSuperseded` would say whether, not which: the error names them.
        let applied = try reader.read { db in
            try db.tableExists("grdb_migrations")
                ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
        }
        try check(applied: applied, known: migrator.migrations)
    }
}

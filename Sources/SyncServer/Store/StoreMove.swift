import Crypto
import Foundation
import GRDB
import MutualAidDomain
import PostgresStorage
import SyncStorage

/// Moving an office from the embedded store to PostgreSQL (`sync-server migrate --data DIR --to
/// URL`): every row of every table — records, the feed with its sequence numbers (so clients'
/// cursors stay valid and nobody pulls from the start again), the exactly-once ledger, accounts
/// and sessions — and every stored material's bytes, copied in one transaction of the target,
/// which must be empty. Before that transaction commits each table's rows are compared, value
/// for value, with the source; after it, every account's `verify` checksums on both stores.
enum StoreMove {
    /// Tables that are not copied: the target's own bookkeeping, and the blob tables (filled
    /// from the source's files).
    static let notCopied: Set<String> = [
        "schema_migration", "grdb_migrations", "server_run", "upload_part", "upload_part_chunk", "content_chunk",
    ]

    struct Report: Sendable {
        var tables = 0
        var rows = 0
        var materials = 0
        var parts = 0
        var accounts = 0
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func move(
        from source: SiteFiles, into target: SQLCaseStore, targetBlobs: DatabaseBlobStore
    ) async throws -> Report {
        guard try await target.isEmpty() else {
            throw Failure(description: "目标数据库不是空的：迁移只写入一个刚建好的空库，请换一个新库（createdb）后重试")
        }
        let pool = source.pool
        let files = source.files
        var report = try await target.database.write { db -> Report in
            var report = Report()
            let tables = try copyOrder(db)
            for table in tables {
                let columns = try targetColumns(db, table)
                let rows = try pool.read { source -> [[SQLValue]] in
                    let have = Set(
                        try String.fetchAll(source, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]))
                    guard have.isSuperset(of: columns) else {
                        throw Failure(description: "内嵌库的表 \(table) 缺少列，请先用当前版本的 sync-server 启动一次内嵌库（升级结构）再迁移")
                    }
                    let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                    return try Row.fetchAll(source, sql: "SELECT \(list) FROM \"\(table)\"").map { row in
                        row.databaseValues.map(SQLiteConnection.value)
                    }
                }
                try insert(db, table, columns, parentFirst(db, table, columns, rows))
                let copied = try db.fetchAll(
                    sql: "SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \"\(table)\""
                )
                .map { row in columns.indices.map { (try? row[$0] as SQLValue) ?? .null } }
                guard digest(copied) == digest(rows) else {
                    throw Failure(description: "表 \(table) 复制后与内嵌库不一致，迁移已撤销，目标库未改动")
                }
                report.tables += 1
                report.rows += rows.count
            }
            // Identity columns continue after the copied numbers.
            for (table, column) in [("change_feed", "seq"), ("sms_outbox", "id")] {
                try db.execute(
                    sql: """
                        SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'),
                                      COALESCE((SELECT MAX(\(column)) FROM \(table)), 0) + 1, false)
                        """)
            }
            // Material bytes: every stored file, hashed again on the way.
            for sha in try db.fetchValues(String.self, sql: "SELECT sha256 FROM material_blob") {
                guard let bytes = FileManager.default.contents(atPath: files.blobURL(sha).path),
                    try targetBlobs.store(bytes, sha256: sha, in: db)
                else {
                    throw Failure(description: "材料文件缺失或已损坏（SHA-256 \(sha.prefix(12))…），迁移已撤销；请先修复内嵌库的 materials 目录")
                }
                report.materials += 1
            }
            // Uploads in flight continue where they stopped.
            for id in try db.fetchValues(String.self, sql: "SELECT id FROM upload") {
                guard let bytes = FileManager.default.contents(atPath: files.partURL(id).path) else { continue }
                try db.execute(sql: "INSERT INTO upload_part (upload_id) VALUES (?)", arguments: [id])
                var start: Int64 = 0
                for piece in DatabaseBlobStore.pieces(bytes) {
                    try db.execute(
                        sql: "INSERT INTO upload_part_chunk (upload_id, start_offset, bytes) VALUES (?, ?, ?)",
                        arguments: [id, start, piece])
                    start += Int64(piece.count)
                }
                report.parts += 1
            }
            return report
        }
        // What every account's client compares: the same checksums on both stores.
        let sourceStore = SQLCaseStore(database: SQLiteDatabase(pool))
        for principal in try await target.principals() {
            guard try await sourceStore.checksum(for: principal).tables == target.checksum(for: principal).tables else {
                throw Failure(description: "账号 \(principal.login) 的校验和在两边不一致：请不要使用目标库，删除它后重新迁移并报告此问题")
            }
            report.accounts += 1
        }
        return report
    }

    /// The embedded store's file and folder, opened read-only for the move.
    struct SiteFiles: Sendable {
        let pool: DatabasePool
        let files: ContentStore

        init(dataDirectory: URL) throws {
            let path = dataDirectory.appendingPathComponent("case-store.sqlite").path
            guard FileManager.default.fileExists(atPath: path) else {
                throw Failure(description: "数据目录中没有内嵌案件库（case-store.sqlite）：请检查 --data")
            }
            var configuration = Configuration()
            configuration.readonly = true
            pool = try DatabasePool(path: path, configuration: configuration)
            files = ContentStore(root: dataDirectory)
        }
    }

    /// Tables referred to first (foreign keys).
    static func copyOrder(_ db: any SQLConnection) throws -> [String] {
        let tables = try db.fetchValues(
            String.self,
            // Views (the ledger's `applied_change`) are filled from the tables they show.
            sql: """
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1
                """
        ).filter { !notCopied.contains($0) }
        var refers: [String: Set<String>] = [:]
        for row in try db.fetchAll(
            sql: """
                SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent
                FROM pg_constraint WHERE contype = 'f'
                """)
        {
            let child: String = try row["child"]
            let parent: String = try row["parent"]
            if child != parent { refers[child, default: []].insert(parent) }
        }
        var ordered: [String] = []
        var placed = Set<String>()
        func place(_ table: String) {
            guard !placed.contains(table) else { return }
            placed.insert(table)
            for parent in (refers[table] ?? []).sorted() where tables.contains(parent) { place(parent) }
            ordered.append(table)
        }
        for table in tables { place(table) }
        return ordered
    }

    static func targetColumns(_ db: any SQLConnection, _ table: String) throws -> [String] {
        try db.fetchValues(
            String.self,
            sql: """
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position
                """, arguments: [table])
    }

    /// A table that refers to itself (an organisation's parent) gets its parents' rows first.
    static func parentFirst(_ db: any SQLConnection, _ table: String, _ columns: [String], _ rows: [[SQLValue]])
        throws -> [[SQLValue]]
    {
        guard
            let link = try db.fetchOne(
                sql: """
                    SELECT a.attname AS child_column, b.attname AS parent_column
                    FROM pg_constraint c
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                    JOIN pg_attribute b ON b.attrelid = c.confrelid AND b.attnum = c.confkey[1]
                    WHERE c.contype = 'f' AND c.conrelid = c.confrelid AND c.conrelid::regclass::text = ?
                    """, arguments: [table]),
            let child = columns.firstIndex(of: try link["child_column"] as String),
            let parent = columns.firstIndex(of: try link["parent_column"] as String)
        else { return rows }
        var placed = Set<SQLValue>()
        var ordered: [[SQLValue]] = []
        var waiting = rows
        while !waiting.isEmpty {
            var later: [[SQLValue]] = []
            for row in waiting {
                if row[child] == .null || placed.contains(row[child]) {
                    ordered.append(row)
                    placed.insert(row[parent])
                } else {
                    later.append(row)
                }
            }
            // A parent that is nowhere: the foreign key refuses the row and the move stops.
            if later.count == waiting.count { return ordered + later }
            waiting = later
        }
        return ordered
    }

    /// Many rows per statement, every value bound.
    static func insert(_ db: any SQLConnection, _ table: String, _ columns: [String], _ rows: [[SQLValue]]) throws {
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let perStatement = max(1, 30_000 / max(1, columns.count))
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(start + perStatement, rows.count)]
            try db.execute(
                sql: "INSERT INTO \"\(table)\" (\(list)) VALUES "
                    + Array(repeating: tuple, count: batch.count).joined(separator: ", "),
                arguments: SQLArguments(batch.flatMap { $0 }))
            start += perStatement
        }
    }

    /// Order-free digest of a table's rows.
    static func digest(_ rows: [[SQLValue]]) -> String {
        let lines = rows.map { row in
            row.map { value -> String in
                switch value {
                case .null: "n"
                case .integer(let i): "i\(i)"
                case .real(let d): "r\(d)"
                case .text(let s): "t\(s.utf8.count):\(s)"
                case .blob(let data): "b\(data.base64EncodedString())"
                // Never read from a table; bound as a parameter only.
                case .textArray(let elements): "a\(elements)"
                }
            }.joined(separator: "\u{1F}")
        }.sorted()
        return RecordDigest.hex(SHA256.hash(data: Data(lines.joined(separator: "\u{1E}").utf8)))
    }
}

extension SQLCaseStore {
    /// Every account as the principal its sessions would have.
    func principals() async throws -> [Principal] {
        try await database.read { db in
            try db.fetchAll(
                sql: """
                    SELECT a.id, a.login, a.name, a.role, a.org_id, a.member_id, o.path, o.level
                    FROM account a JOIN org o ON o.id = a.org_id ORDER BY a.login
                    """
            ).compactMap { row in
                guard let role = Role(rawValue: try row["role"]), let level = OrgLevel(rawValue: try row["level"])
                else {
                    return nil
                }
                return Principal(
                    accountId: try row["id"], login: try row["login"], name: try row["name"], role: role,
                    orgId: try row["org_id"], orgPath: try row["path"], orgLevel: role == .member ? .member : level,
                    memberId: try row["member_id"])
            }
        }
    }
}

extension SQLCaseStore {
    /// `sync-server migrate --data DIR --to URL`: the embedded store of `dataDirectory` into the
    /// empty PostgreSQL database at `url`. Answers what was copied, for the operator.
    public static func moveEmbeddedStore(from dataDirectory: URL, to url: PostgresURL) async throws -> String {
        let source = try StoreMove.SiteFiles(dataDirectory: dataDirectory)
        let target = try await SQLCaseStore.connect(url: url)
        defer { Task { await (target.database as? PostgresDatabase)?.close() } }
        let blobs = DatabaseBlobStore(database: target.database, dataDirectory: dataDirectory)
        let report = try await StoreMove.move(from: source, into: target, targetBlobs: blobs)
        return """
            已迁移到 \(url)：\(report.tables) 张表共 \(report.rows) 行，\(report.materials) 个材料文件，\
            \(report.parts) 个未完成的上传；\(report.accounts) 个账号的校验和两边一致。客户端无需重新下载，继续同步即可。
            """
    }
}

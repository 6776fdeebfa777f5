import Foundation
import GRDB
import MutualAidDomain
import SyncStorage
import Testing

@testable import MemberCore

/// The replica against `SyncTable`: the migrated client schema holds every synced field, and
/// the shared row codec seals what is sensitive and refuses a damaged clocks column.
@Suite struct ReplicaSchemaTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("replica-schema-\(UUID().uuidString)")

    /// A fresh replica, migrated the way the client migrates it on open.
    func database() throws -> ClientDatabase {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try ClientDatabase(
            path: directory.appendingPathComponent("client.sqlite").path,
            cipher: FieldCipher.load(directory: directory))
    }

    /// A replica a newer release has migrated is refused with what to do, and left as it was:
    /// its rows may hold forms this release cannot read (as the short clocks form was new).
    @Test func aReplicaMigratedByANewerReleaseIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try database().write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('0099_future')")
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('probe', 'kept')")
        }
        do {
            _ = try database()
            Issue.record("a newer replica was opened")
        } catch ClientError.upgradeRequired(let message) {
            #expect(message.contains("0099_future") && message.contains("请升级 member-cli"))
        }
        // Unchanged: the same rows, and opening it again gives the same answer.
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("client.sqlite").path)
        let (future, probe) = try queue.read { db in
            (
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations WHERE identifier = '0099_future'"),
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'probe'")
            )
        }
        #expect(future == ["0099_future"] && probe == "kept")
        #expect(throws: ClientError.self) { try database() }
    }

    @Test func everySyncedFieldHasItsColumnInTheClientSchema() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let found = try database().read { db in
            try SyncTable.all.flatMap { try SchemaCheck.mismatches($0, in: SQLiteConnection(db)) }
        }
        #expect(found == [], "\(found)")
    }

    /// A local edit is on disk when it returns: the writer syncs every commit (GRDB turns WAL
    /// on with NORMAL after `prepareDatabase`; the store sets FULL again once it is open).
    @Test func theReplicaCommitsDurably() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let setting = try database().pool.writeWithoutTransaction { db in
            try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        #expect(setting == 2)  // FULL
    }

    /// A view asks how many of its record's changes wait in the outbox: an index lookup, not a
    /// scan of every unsent change (thousands after days offline).
    @Test func aRecordsUnsentChangesAreFoundByIndex() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = try database().read { db in
            try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM outbox WHERE record_id = ?", arguments: ["x"]
            ).map { $0["detail"] as String? ?? "" }
        }
        #expect(plan.contains { $0.contains("outbox_by_record") }, "\(plan)")
    }

    /// One codec for every write: a full save, a partial update and an insert all seal the
    /// sensitive fields, and a read opens them again.
    @Test func sensitiveFieldsAreSealedAtRestWhicheverWayTheyAreWritten() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try database()
        let table = database.table(.claim)
        let clocks = ["payeeName": "0000000000000001-00000-a"]
        try database.write { db in
            try table.save(
                db, id: "c1",
                VersionedRecord(fields: ["payeeName": .string("李娜"), "hospital": .string("市医院")], clocks: clocks))
            try table.update(db, id: "c1", VersionedRecord(fields: ["diagnosis": .string("骨折")], clocks: clocks))
            try table.codec.insert(
                SQLiteConnection(db), id: "c2", VersionedRecord(fields: ["payeeMobile": .string("13900000002")]))
        }
        let (raw, c1, c2, page) = try database.read { db in
            (
                try Row.fetchAll(db, sql: "SELECT payee_name, diagnosis, payee_mobile, hospital FROM claim ORDER BY id")
                    .map { row in (0..<4).map { row[$0] as String? } },
                try table.load(db, id: "c1"), try table.load(db, id: "c2"),
                try table.codec.page(SQLiteConnection(db), after: "c1", limit: 10)
            )
        }
        #expect(raw.count == 2)
        // payee_name, diagnosis, payee_mobile: sealed wherever written; hospital as it is.
        for row in raw { for text in row[0..<3].compactMap({ $0 }) { #expect(text.hasPrefix("enc1:"), "\(row)") } }
        #expect(raw[0][0] != nil && raw[0][1] != nil && raw[1][2] != nil)
        #expect(raw[0][3] == "市医院")
        #expect(c1?.fields["payeeName"] == .string("李娜") && c1?.fields["diagnosis"] == .string("骨折"))
        #expect(c1?.fields["hospital"] == .string("市医院"))
        #expect(c1?.clocks == clocks)
        #expect(c2?.fields["payeeMobile"] == .string("13900000002"))
        #expect(page.map(\.id) == ["c2"])
    }

    /// A damaged clocks column stops the read with a message naming the table, not the record
    /// or its values; the CLI shows it as a local storage error.
    @Test func aDamagedClocksColumnIsAnErrorWithoutMemberData() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try database()
        let table = database.table(.profile)
        try database.write { db in
            try table.save(db, id: "m-secret", VersionedRecord(fields: ["mobile": .string("13912345678")]))
            try db.execute(sql: "UPDATE profile SET clocks = '[\"13912345678\"]' WHERE id = 'm-secret'")
        }
        let reads: [() throws -> Void] = [
            { try database.read { db in _ = try table.load(db, id: "m-secret") } },
            { try database.read { db in _ = try table.loadClocks(db, id: "m-secret") } },
        ]
        for read in reads {
            #expect(throws: DamagedRow(table: "profile", column: "clocks")) { try read() }
        }
        let message = ClientError(DamagedRow(table: "profile", column: "clocks")).description
        #expect(message.contains("profile") && message.contains("clocks"))
        #expect(!message.contains("m-secret") && !message.contains("1391234"))
    }
}

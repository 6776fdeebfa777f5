import Foundation
import GRDB
import MutualAidDomain
import SyncStorage
import Testing

@testable import MemberCore
@testable import SyncServer

/// `SyncTable` is the one definition of a synced table: the migrated server schema must hold a
/// column of the right type for each field, every synced table has exactly one server table,
/// and a field added to a `SyncTable` alone is reported until each store has its migration.
@Suite struct SchemaMatchTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")

    /// A fresh store, migrated the way the server migrates it at start.
    func serverStore() throws -> SQLCaseStore {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try SQLCaseStore(path: directory.appendingPathComponent("server.sqlite").path)
    }

    /// A fresh replica, migrated the way the client migrates it on open.
    func clientDatabase() throws -> ClientDatabase {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try ClientDatabase(
            path: directory.appendingPathComponent("client.sqlite").path,
            cipher: FieldCipher.load(directory: directory))
    }

    @Test func everySyncedFieldHasItsColumnInTheServerSchema() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try serverStore()
        let found = try await store.database.read { db in
            try ServerTables.all.flatMap { try SchemaCheck.mismatches($0.spec, in: db, sqlTable: $0.storageTable) }
        }
        #expect(found == [], "\(found)")
        #expect(ServerTables.all.count == SyncTable.all.count)
    }

    /// The check can fail: one field more in a `SyncTable` (the one place a column is defined)
    /// is missing from both migrated schemas until a migration per store adds it.
    @Test func aFieldAddedOnlyToTheDefinitionIsMissingInBothSchemas() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let extended = SyncTable(
            name: SyncTable.claim.name,
            fields: SyncTable.claim.fields + [SyncField("referralNumber", .text(maxLength: 40), .client)],
            audience: SyncTable.claim.audience, clientCreates: SyncTable.claim.clientCreates)
        let expected = [SchemaCheck.Mismatch(table: "claim", column: "referral_number", problem: "missing")]
        let server = try await serverStore().database.read { db in try SchemaCheck.mismatches(extended, in: db) }
        let client = try clientDatabase().read { db in try SchemaCheck.mismatches(extended, in: SQLiteConnection(db)) }
        #expect(server == expected)
        #expect(client == expected)
    }

    /// A field whose kind asks for another SQL type than its column has is reported too, and so
    /// is a table no migration created.
    @Test func anotherTypeAndAMissingTableAreReported() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let retyped = SyncTable(
            name: "claim_trail", fields: [SyncField("note", .integer, .server)], audience: .memberRecords)
        let absent = SyncTable(
            name: "claim_referral", fields: [SyncField("claimId", .text(maxLength: 64), .server)],
            audience: .memberRecords)
        let found = try await serverStore().database.read { db in
            try SchemaCheck.mismatches(retyped, in: db) + SchemaCheck.mismatches(absent, in: db)
        }
        #expect(
            found == [
                SchemaCheck.Mismatch(table: "claim_trail", column: "note", problem: "type TEXT, expected INTEGER"),
                SchemaCheck.Mismatch(table: "claim_referral", column: "*", problem: "table missing"),
            ])
    }

    /// `ServerTables.all` follows `SyncTable.all`; a registered implementation must name a
    /// synced table (a renamed or dropped one would otherwise be silently unused).
    @Test func everySyncTableHasOneServerTableAndEveryRegisteredOneASyncTable() {
        #expect(ServerTables.all.map(\.spec.name) == SyncTable.all.map(\.name))
        for table in ServerTables.all { #expect(table.spec == SyncTable.named(table.spec.name), "\(table.spec.name)") }
        let registered = ServerTables.withRules.map(\.spec.name)
        #expect(Set(registered).count == registered.count, "a table registered twice: \(registered)")
        for table in ServerTables.withRules {
            #expect(SyncTable.named(table.spec.name) != nil, "\(table.spec.name) has rules but no SyncTable")
            #expect(
                ServerTables.named(table.spec.name).map { "\(type(of: $0))" } == "\(type(of: table))",
                "\(table.spec.name)")
        }
        // The derivation itself: an unregistered table gets a plain row table, a registration
        // without a table is not served.
        let extra = SyncTable(name: "claim_referral", fields: [], audience: .memberRecords)
        let derived = ServerTables.derived(from: [.claim, extra], registered: [ClaimTable(), ProfileTable()])
        #expect(derived.map(\.spec.name) == ["claim", "claim_referral"])
        #expect(derived[0] is ClaimTable)
        #expect(derived[1] is RowTable)
    }

    /// The server store meets a damaged clocks column with an error naming the table and column
    /// only (not the record or its values), where it used to read the clocks as empty and let
    /// any push win over the stored fields.
    @Test func aDamagedClocksColumnIsAnErrorWithoutMemberData() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try serverStore()
        let table = RowTable(spec: .disabilityGrade)
        let fields: FieldMap = ["grade": .int(1), "name": .string("一级伤残"), "ratioBp": .int(10000)]
        let error = try await store.database.write { db -> DamagedRow? in
            try table.insert(db, recordId: "grade-secret-id", VersionedRecord(fields: fields, clocks: ["name": "x"]))
            #expect(
                try table.load(db, recordId: "grade-secret-id")?.record
                    == VersionedRecord(fields: fields, clocks: ["name": "x"]))
            try db.execute(sql: "UPDATE disability_grade SET clocks = '{\"name\": 一级伤残' WHERE id = 'grade-secret-id'")
            do {
                _ = try table.load(db, recordId: "grade-secret-id")
                return nil
            } catch let error as DamagedRow {
                return error
            }
        }
        let damaged = try #require(error)
        #expect(damaged == DamagedRow(table: "disability_grade", column: "clocks"))
        #expect(!damaged.description.contains("一级") && !damaged.description.contains("grade-secret-id"))
    }
}

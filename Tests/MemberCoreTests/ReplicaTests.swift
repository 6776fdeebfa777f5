import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import TestSupport
import Testing

@testable import MemberCore

/// The local store on its own: change capture, pull application and the cursor.
@Suite struct ReplicaTests {
    let home = Scratch.directory("replica")

    func memberClient() throws -> MemberClient { try Self.memberClient(home: home) }

    /// A member's client in `home`, logged in as 张伟 (no server: pages are applied directly).
    static func memberClient(home: URL) throws -> MemberClient {
        let client = try MemberClient(home: home)
        let account = AccountInfo(
            id: "acc-1", login: "zhangwei", role: .member, name: "张伟", orgId: "unit-001",
            orgName: "单位", level: .member, memberId: "m-001")
        let json = String(decoding: try JSONEncoder().encode(account), as: UTF8.self)
        try client.database.write { db in try Meta.account.set(db, json) }
        return client
    }

    @Test func anEditAndItsOutboxEntryCommitTogether() throws {
        let client = try memberClient()
        _ = try client.updateProfile(mobile: "13912345678", bankAccount: nil, bankName: nil)
        let (pending, row) = try client.database.read { db in
            (
                try Outbox.pending(db, cipher: client.database.cipher, limit: 10),
                try String.fetchOne(db, sql: "SELECT mobile FROM profile WHERE id = 'm-001'")
            )
        }
        #expect(pending.count == 1)
        #expect(pending[0].fields == ["mobile": .string("13912345678")])
        #expect(pending[0].changeId.hasSuffix(":1"))
        // Personal fields are sealed at rest: the column holds ciphertext, the API the value.
        #expect(row?.hasPrefix("enc1:") == true)
        #expect(row?.contains("13912345678") == false)
        #expect(try client.profile().mobile == "13912345678")
        #expect(try client.status().pendingChanges == 1)
    }

    @Test func invalidInputChangesNothing() throws {
        let client = try memberClient()
        #expect(throws: ClientError.self) { try client.updateProfile(mobile: "12345", bankAccount: nil, bankName: nil) }
        #expect(throws: ClientError.self) {
            try client.updateProfile(mobile: "13912345678", bankAccount: "not-a-number", bankName: nil)
        }
        #expect(try client.status().pendingChanges == 0)
        #expect(try client.profile().mobile == nil)
    }

    @Test func pulledRowsMergeByClockAndNeverEnterTheOutbox() throws {
        let client = try memberClient()
        _ = try client.updateProfile(mobile: "13900000001", bankAccount: nil, bankName: nil)
        let old = "0000000000000001-00000-server"
        let future = "9999999999999998-00000-other"
        let entry = FeedEntry(
            seq: 7, table: "profile", recordId: "m-001", op: .upsert,
            fields: ["name": .string("张伟"), "mobile": .string("13800000000"), "bankName": .string("农行")],
            clocks: ["name": old, "mobile": old, "bankName": future])
        try client.database.write { db in try PullApplier.apply([entry], cursor: 7, database: client.database, db) }
        let profile = try client.profile()
        #expect(profile.name == "张伟")  // server-owned: taken
        #expect(profile.mobile == "13900000001")  // local edit is newer
        #expect(profile.bankName == "农行")  // remote is newer
        #expect(try client.status().pendingChanges == 1)
        #expect(try client.database.read { db in try Meta.cursor.get(db) } == "7")
        // The next local stamp orders after the newest one seen.
        let next = try client.database.write { db in try LocalClock.tick(db, clock: client.database.clock) }
        #expect(next.description > future)
    }

    /// A record the replica does not hold is written straight from the entry (no record built);
    /// it must be the row that merging the entry into an empty stored record gives. Random
    /// entries over a table with client and server, sealed and plain fields: clocks missing,
    /// empty or present, null values, a field this version does not know.
    @Test func aNewRecordIsStoredAsMergingIntoAnEmptyOneWould() throws {
        let client = try memberClient()
        var random = SplitMix64(environment: "REPLICA_SEED", default: 15)
        let names = ["name", "mobile", "bankAccount", "bankName", "notAField"]
        let values: [FieldValue] = [.string("13800000000"), .string("张伟"), .null, .int(7), .string("")]
        let stamps: [String?] = [nil, "", "0000000000000001-00000-server", "0001790000000000-00003-dev"]
        var built: [FeedEntry] = []
        for i in 0..<200 {
            var fields: FieldMap = [:]
            var clocks: [String: String] = [:]
            for name in names where Bool.random(using: &random) {
                fields[name] = values.randomElement(using: &random)!
                if let stamp = stamps.randomElement(using: &random)! { clocks[name] = stamp }
            }
            if Bool.random(using: &random) { clocks["bankName"] = stamps[2] }  // a clock without its field
            built.append(
                FeedEntry(
                    seq: Int64(i + 1), table: "profile", recordId: "new-\(i)", op: .upsert, fields: fields,
                    clocks: clocks))
        }
        let table = client.database.table(SyncTable.profile)
        let entries = built
        let (new, merged) = try client.database.write { db in
            try PullApplier.apply(entries, cursor: 200, database: client.database, db)
            // The same entries again, onto empty rows the replica already holds: the merging path.
            for entry in entries { try table.save(db, id: "held-" + entry.recordId, VersionedRecord()) }
            let again = entries.map { entry in
                FeedEntry(
                    seq: entry.seq, table: entry.table, recordId: "held-" + entry.recordId, op: .upsert,
                    fields: entry.fields, clocks: entry.clocks)
            }
            try PullApplier.apply(again, cursor: 400, database: client.database, db)
            return (
                try entries.map { try table.load(db, id: $0.recordId) },
                try entries.map { try table.load(db, id: "held-" + $0.recordId) }
            )
        }
        #expect(new.count == 200 && new.allSatisfy { $0 != nil })
        #expect(new == merged)
        // Not vacuous: some rows took a sealed client field, some a server field, some nothing.
        #expect(new.contains { ($0?.fields["mobile"]).map { $0 != FieldValue.null } == true })
        #expect(new.contains { ($0?.fields["name"]).map { $0 != FieldValue.null } == true })
        #expect(new.contains { $0?.clocks.isEmpty == true })
        // Rows whose fields share one stamp hold the short clocks form, the others JSON; the
        // clocks read alone (as an edit reads them) are those of the whole row either way.
        let (texts, alone) = try client.database.read { db in
            (
                try String.fetchAll(db, sql: "SELECT clocks FROM profile WHERE id LIKE 'new-%'"),
                try entries.map { try table.loadClocks(db, id: $0.recordId) }
            )
        }
        #expect(texts.contains { $0.hasPrefix("=") } && texts.contains { $0.hasPrefix("{") })
        #expect(alone == new.map { $0?.clocks })
    }

    /// A record pulled whole with one stamp is stored in the short clocks form; a local edit of
    /// one field stamps that field anew and keeps the pulled stamp on the others, and a field
    /// the record left empty gets no clock from the short form.
    @Test func aLocalEditOfAShortFormRowKeepsItsOtherClocks() throws {
        let client = try memberClient()
        let stamp = "0001790000000000-00000-server"
        let entry = FeedEntry(
            seq: 3, table: "profile", recordId: "m-001", op: .upsert,
            fields: ["name": .string("张伟"), "mobile": .string("13800000000"), "bankName": .null],
            clocks: ["name": stamp, "mobile": stamp])
        try client.database.write { db in try PullApplier.apply([entry], cursor: 3, database: client.database, db) }
        let table = client.database.table(SyncTable.profile)
        let pulled = try client.database.read { db in
            (
                try String.fetchOne(db, sql: "SELECT clocks FROM profile WHERE id = 'm-001'"),
                try table.load(db, id: "m-001")
            )
        }
        #expect(pulled.0 == "=" + stamp)
        #expect(pulled.1?.clocks == ["name": stamp, "mobile": stamp])
        _ = try client.updateProfile(mobile: "13912345678", bankAccount: nil, bankName: nil)
        let edited = try client.database.read { db in
            (
                try String.fetchOne(db, sql: "SELECT clocks FROM profile WHERE id = 'm-001'"),
                try table.load(db, id: "m-001")
            )
        }
        #expect(edited.0?.hasPrefix("{") == true)
        let clocks = try #require(edited.1?.clocks)
        #expect(clocks["name"] == stamp && clocks["bankName"] == nil)
        #expect(try #require(clocks["mobile"]) > stamp)
        #expect(try client.profile().mobile == "13912345678" && client.profile().name == "张伟")
    }

    @Test func rejectedChangesAreKeptWithTheirReason() throws {
        let client = try memberClient()
        _ = try client.updateProfile(mobile: "13900000001", bankAccount: nil, bankName: nil)
        let sent = try client.database.read { db in try Outbox.pending(db, cipher: client.database.cipher, limit: 10) }
        _ = try client.database.write { db in
            try Outbox.acknowledge(
                db, cipher: client.database.cipher, clock: client.database.clock, sent: sent,
                results: [
                    ChangeResult(
                        changeId: sent[0].changeId, status: .rejected,
                        reason: "记录不存在或无权修改")
                ])
        }
        let status = try client.status()
        #expect(status.pendingChanges == 0)
        #expect(status.rejectedChanges == 1)
        #expect(status.rejected.first?.reason == "记录不存在或无权修改")
    }

    @Test func staffAccountsHaveNoProfile() throws {
        let client = try MemberClient(home: home)
        #expect(throws: ClientError.notAMember) { try client.profile() }
    }
}

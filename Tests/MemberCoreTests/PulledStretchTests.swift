import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import TestSupport
import Testing

@testable import MemberCore

/// A page's upserts are written several rows a statement (`RowCodec.insertAllIfAbsent`); a
/// stretch holding a record the replica has, or one record twice, falls back to merging each
/// in order. Whatever the page holds, the replica must end as taking each entry in turn into the record
/// held before it would leave it.
@Suite struct PulledStretchTests {
    @Test func aPageEndsAsTakingEachEntryInTurnWould() throws {
        var random = SplitMix64(environment: "PULLED_STRETCH_SEED", default: 32)
        let stamps = (1...6).map { "000179000000000\($0)-00000-server" }
        func entry(_ seq: Int, _ id: String, deleted: Bool = false) -> FeedEntry {
            var fields: FieldMap = [:]
            var clocks: [String: String] = [:]
            for name in ["name", "mobile", "bankAccount", "bankName"] where !deleted && Bool.random(using: &random) {
                fields[name] = .string("值\(random.next() % 100)")
                clocks[name] = stamps.randomElement(using: &random)!
            }
            return FeedEntry(
                seq: Int64(seq), table: "profile", recordId: id, op: deleted ? .delete : .upsert, fields: fields,
                clocks: clocks)
        }
        // Records 0–19 are held before the page; the page names 0–59, some twice, a few deleted,
        // in stretches longer and shorter than one statement's rows.
        let held = (0..<20).map { entry($0 + 1, "p-\($0)") }
        let page = (0..<150).map { i in
            entry(1000 + i, "p-\(random.next() % 60)", deleted: random.next() % 25 == 0)
        }
        let client = try ReplicaTests.memberClient(home: Scratch.directory("stretch"))
        for part in [held, page] {
            try client.database.write { db in
                try PullApplier.apply(part, cursor: part.last!.seq, database: client.database, db)
            }
        }
        // The replica as taking each entry in turn into the record held before it would leave it.
        let layout = SyncTable.profile.fields
        var expected: [String: VersionedRecord] = [:]
        for entry in held + page {
            guard entry.op == .upsert else {
                expected[entry.recordId] = nil
                continue
            }
            var record = expected[entry.recordId] ?? VersionedRecord()
            record.takePulled(entry.fields, clocks: entry.clocks, layout: layout)
            expected[entry.recordId] = record
        }
        // A row holds every column: a field the record lacks reads back as null.
        func whole(_ record: VersionedRecord) -> VersionedRecord {
            var record = record
            for field in layout where record.fields[field.name] == nil { record.fields[field.name] = .null }
            return record
        }
        let table = client.database.table(SyncTable.profile)
        let stored = try client.database.read { db in
            var rows: [String: VersionedRecord] = [:]
            for i in 0..<60 { rows["p-\(i)"] = try table.load(db, id: "p-\(i)") }
            return rows
        }
        #expect(stored.mapValues(whole) == expected.mapValues(whole))
        // Not vacuous: the page left held, new and deleted records, and one record twice.
        let named = Dictionary(grouping: page, by: \.recordId)
        #expect(named.values.contains { $0.count > 1 })
        #expect(page.contains { $0.op == .delete } && expected.count < 60 && expected.count > 20)
    }
}

import Foundation
import MutualAidDomain
import Testing

@Suite struct HybridLogicalClockTests {
    @Test func neverGoesBackwardsWhenTheWallClockDoes() {
        var clock = HybridLogicalClock(node: "a")
        let t1 = clock.tick(nowMillis: 1_000)
        let t2 = clock.tick(nowMillis: 900)
        let t3 = clock.tick(nowMillis: 1_000)
        #expect(t1 < t2 && t2 < t3)
        #expect(t2.millis == 1_000 && t2.counter == 1)
    }

    @Test func orderAfterObservedRemoteStamps() {
        var clock = HybridLogicalClock(node: "a")
        _ = clock.tick(nowMillis: 1_000)
        let remote = HLCTimestamp(millis: 5_000, counter: 3, node: "b")
        clock.observe(remote, nowMillis: 1_100)
        let next = clock.tick(nowMillis: 1_200)
        #expect(next > remote)
    }

    @Test func counterOverflowBorrowsTheNextMillisecond() {
        var clock = HybridLogicalClock(node: "a", last: HLCTimestamp(millis: 7, counter: 99_999, node: "a"))
        let next = clock.tick(nowMillis: 5)
        #expect(next == HLCTimestamp(millis: 8, counter: 0, node: "a"))
        #expect(HLCTimestamp(next.description) == next)
    }

    @Test func textFormSortsLikeTheStamp() {
        let stamps = [
            HLCTimestamp(millis: 9, counter: 10, node: "z"), HLCTimestamp(millis: 10, counter: 0, node: "a"),
            HLCTimestamp(millis: 10, counter: 2, node: "a"), HLCTimestamp(millis: 10, counter: 2, node: "b"),
        ]
        #expect(stamps.map(\.description).sorted() == stamps.sorted().map(\.description))
        #expect(HLCTimestamp(stamps[0].description) == stamps[0])
        #expect(HLCTimestamp("garbage") == nil)
    }
}

@Suite struct LastWriterWinsTests {
    @Test func newerFieldWinsOlderIsIgnoredPerField() {
        var record = VersionedRecord()
        record.merge(["mobile": .string("13900000001"), "bankName": .string("工行")], stamp: "0000000000000002-00000-a")
        let changed = record.merge(
            ["mobile": .string("13900000002"), "bankName": .string("农行")],
            clocks: ["mobile": "0000000000000003-00000-b", "bankName": "0000000000000001-00000-b"])
        #expect(changed)
        #expect(record.fields["mobile"] == .string("13900000002"))
        #expect(record.fields["bankName"] == .string("工行"))
        let stale = record.merge(["mobile": .string("x")], stamp: "0000000000000003-00000-a")
        #expect(!stale)
    }

    @Test func replicasConvergeWhateverTheOrder() {
        let edits: [(FieldMap, String)] = [
            (["mobile": .string("1")], "0000000000000005-00000-a"),
            (["mobile": .string("2"), "bankName": .string("x")], "0000000000000004-00000-b"),
            (["bankName": .string("y")], "0000000000000006-00000-c"),
        ]
        var forward = VersionedRecord()
        var backward = VersionedRecord()
        for (f, s) in edits { forward.merge(f, stamp: s) }
        for (f, s) in edits.reversed() { backward.merge(f, stamp: s) }
        #expect(forward == backward)
        #expect(forward.fields == ["mobile": .string("1"), "bankName": .string("y")])
    }

    /// A pulled server field is taken as sent, its clock too (none when none came); a pulled
    /// client field only with a clock newer than the one held; fields outside the layout never.
    @Test func aPulledEntryTakesServerFieldsAndNewerClientFields() {
        let old = "0000000000000001-00000-server"
        let new = "0000000000000002-00000-server"
        var record = VersionedRecord(
            fields: ["name": .string("张伟"), "mobile": .string("13900000001"), "bankName": .string("工行")],
            clocks: ["name": new, "mobile": new, "bankName": old])
        record.takePulled(
            ["name": .string("张三"), "mobile": .string("13900000002"), "bankName": .string("农行"), "x": .int(1)],
            clocks: ["mobile": old, "bankName": new, "x": new], layout: SyncTable.profile.fields)
        #expect(record.fields == ["name": .string("张三"), "mobile": .string("13900000001"), "bankName": .string("农行")])
        #expect(record.clocks == ["mobile": new, "bankName": new])
        var empty = VersionedRecord()
        empty.takePulled(
            ["mobile": .string("1"), "bankAccount": .string("2")], clocks: ["mobile": ""],
            layout: SyncTable.profile.fields)
        #expect(empty == VersionedRecord())
    }
}

@Suite struct ChangeRuleTests {
    func change(_ fields: FieldMap, table: String = "profile", hlc: String = "0000000000000001-00000-a") -> Change {
        Change(changeId: "c:1", table: table, recordId: "m-001", op: .upsert, fields: fields, hlc: hlc)
    }

    @Test func acceptsClientOwnedValidFields() throws {
        try ChangeRules.validate(change(["mobile": .string("13912345678"), "bankName": .string("中国银行")]))
    }

    @Test func refusesServerOwnedUnknownAndInvalidFields() {
        #expect(throws: RuleViolation.self) { try ChangeRules.validate(change(["name": .string("冒名")])) }
        #expect(throws: RuleViolation.self) { try ChangeRules.validate(change(["salary": .int(1)])) }
        #expect(throws: RuleViolation.self) { try ChangeRules.validate(change(["mobile": .string("123")])) }
        #expect(throws: RuleViolation.self) { try ChangeRules.validate(change(["mobile": .int(13_912_345_678)])) }
        #expect(throws: RuleViolation.self) { try ChangeRules.validate(change([:])) }
        #expect(throws: RuleViolation.self) {
            try ChangeRules.validate(change(["mobile": .string("13912345678")], table: "claims"))
        }
        #expect(throws: RuleViolation.self) {
            try ChangeRules.validate(change(["mobile": .string("13912345678")], hlc: "yesterday"))
        }
    }

    @Test func refusesStampsFarAheadOfTheServer() throws {
        let now: Int64 = 1_800_000_000_000
        let soon = HLCTimestamp(millis: now + 3_600_000, counter: 0, node: "a").description
        let far = HLCTimestamp(millis: now + 2 * 86_400_000, counter: 0, node: "a").description
        try ChangeRules.validate(change(["mobile": .string("13912345678")], hlc: soon), serverMillis: now)
        #expect(throws: RuleViolation.self) {
            try ChangeRules.validate(change(["mobile": .string("13912345678")], hlc: far), serverMillis: now)
        }
    }
}

@Suite struct DigestTests {
    @Test func recordHashIgnoresKeyOrderButNotValues() {
        let a = RecordDigest.hash(["a": .string("1"), "b": .null])
        let b = RecordDigest.hash(["b": .null, "a": .string("1")])
        #expect(a == b)
        #expect(a != RecordDigest.hash(["a": .string("2"), "b": .null]))
        let t1 = RecordDigest.tableDigest([RecordHash(id: "x", hash: "1"), RecordHash(id: "y", hash: "2")])
        let t2 = RecordDigest.tableDigest([RecordHash(id: "y", hash: "2"), RecordHash(id: "x", hash: "1")])
        #expect(t1 == t2)
    }
}

import Foundation
import MutualAidDomain
import TestSupport
import Testing

/// Issue 10's pure rules: byte bounds, clock ownership, change digests, the member view.
@Suite struct TrustRulesTests {
    static let now: Int64 = 1_764_560_000_000

    static func change(_ fields: FieldMap, table: String = "claim", node: String = "dev-1", recordId: String = "c-1")
        -> Change
    {
        Change(
            changeId: "dev-1:1", table: table, recordId: recordId, op: .upsert, fields: fields,
            hlc: HLCTimestamp(millis: now, counter: 0, node: node).description)
    }

    @Test func textLimitsCountBytesAsWellAsCharacters() throws {
        let marks = "a" + String(repeating: "\u{0301}", count: 10_000)
        #expect(throws: RuleViolation.self) { try ChangeRules.validate(Self.change(["hospital": .string(marks)])) }
        // A hundred Chinese characters (300 bytes) still fit a 100-character field.
        try ChangeRules.validate(Self.change(["hospital": .string(String(repeating: "院", count: 100))]))
        #expect(throws: RuleViolation.self) {
            try ChangeRules.validate(Self.change(["hospital": .string(String(repeating: "院", count: 101))]))
        }
    }

    @Test func aClockMustBeItsDevicesOwnAndShort() throws {
        try ChangeRules.validate(
            Self.change(["claimType": .string("hospitalization")]), clientId: "dev-1", serverMillis: Self.now)
        for node in ["dev-2", "server", String(repeating: "n", count: 65), String(repeating: "n", count: 200_000)] {
            #expect(throws: RuleViolation.self, "\(node.prefix(8))") {
                try ChangeRules.validate(
                    Self.change(["claimType": .string("hospitalization")], node: node), clientId: "dev-1",
                    serverMillis: Self.now)
            }
        }
        #expect(HLCTimestamp("0001764560000000-00000-" + String(repeating: "n", count: 65)) == nil)
        #expect(HLCTimestamp("000176456000000٣-00000-dev") == nil)  // digits are ASCII only
        #expect(ChangeRules.isValidClientId("2f1c9a6e-5b1d-4a8e-9f3a-1c2d3e4f5a6b"))
        for bad in ["", "a:b", "设备", "a b", String(repeating: "c", count: 65)] {
            #expect(!ChangeRules.isValidClientId(bad))
        }
        #expect(throws: RuleViolation.self) {
            try ChangeRules.validate(Self.change(["claimType": .string("hospitalization")], recordId: "记录"))
        }
    }

    @Test func aChangeDigestIgnoresFieldOrderAndSeesEveryValue() {
        let a = Self.change(["hospital": .string("A"), "diagnosis": .string("B"), "submission": .int(1)])
        var b = a
        b.fields = ["submission": .int(1), "diagnosis": .string("B"), "hospital": .string("A")]
        #expect(RecordDigest.change(a) == RecordDigest.change(b))
        let others: [FieldMap] = [
            ["hospital": .string("A"), "diagnosis": .string("B"), "submission": .int(2)],
            ["hospital": .string("A"), "diagnosis": .string("B"), "submission": .string("1")],
            ["hospital": .string("AB"), "diagnosis": .string(""), "submission": .int(1)],
            ["hospital": .string("A"), "diagnosis": .null, "submission": .int(1)],
        ]
        for other in others {
            var c = a
            c.fields = other
            #expect(RecordDigest.change(a) != RecordDigest.change(c))
        }
        var d = a
        d.hlc = HLCTimestamp(millis: Self.now, counter: 1, node: "dev-1").description
        #expect(RecordDigest.change(a) != RecordDigest.change(d))
    }

    /// The server keeps each change's digest in its ledger: a new way of computing it must give
    /// the same digest, or a retry of a change handled before would be told its id was reused.
    /// The expected value is SHA-256 of "5:claim5:c-0016:upsert28:0001795000000000-00007-dev-1
    /// 6:amount1:i6:123456" and so on (length, colon, UTF-8 bytes; fields by name).
    @Test func aChangeDigestIsTheSameAsTheLedgerHoldsFromBefore() {
        let change = Change(
            changeId: "dev-1:7", table: "claim", recordId: "c-001", op: .upsert,
            fields: ["paid": .bool(true), "remark": .null, "diagnosis": .string("阑尾炎"), "amount": .int(123_456)],
            hlc: "0001795000000000-00007-dev-1")
        #expect(RecordDigest.change(change) == "0c7c118d7263357f1c227f310f5e29bc6e4adf3deeffd5cf2f4174bf29d6527d")
    }

    @Test func theStreamedTableDigestEqualsTheSortedOne() {
        var rng = SplitMix64(seed: 20_261_201)
        let records = (0..<500).map { i in
            RecordHash(id: "r-\(UInt32.random(in: 0...UInt32.max, using: &rng))-\(i)", hash: "\(i)")
        }
        var hasher = RecordDigest.TableHasher()
        for record in records.sorted(by: { $0.id < $1.id }) { hasher.add(record) }
        #expect(hasher.finish() == RecordDigest.tableDigest(records.shuffled(using: &rng)))
        #expect(hasher.count == 500)
    }

    @Test func membersGetTheMemberViewAndReviewersEverything() {
        let claim: FieldMap = ["state": .string("accepted"), "holderLogin": .string("sz-agent"), "restricted": .int(1)]
        #expect(SyncTable.claim.memberView(claim) == ["state": .string("accepted")])
        #expect(
            SyncTable.claim.memberChecksumView(claim) == [
                "state": .string("accepted"), "holderLogin": .null, "restricted": .null,
            ])
        let internalStep: FieldMap = ["step": .string("转专家审核"), "note": .string("内部意见")]
        let open: FieldMap = ["step": .string("申领初审"), "note": .string("请补充发票")]
        #expect(SyncTable.claimTrail.memberView(internalStep)["note"] == nil)
        #expect(SyncTable.claimTrail.memberView(open)["note"] == .string("请补充发票"))
        #expect(SyncTable.profile.memberView(["mobile": .string("13912345678")]) == ["mobile": .string("13912345678")])
        #expect(Role.allCases.filter { !$0.readsStaffContent } == [.member])
    }

    @Test func idNumbersAreKeptWithAnUpperCaseX() throws {
        let person = try #require(SyncTable.named("enrolment_person"))
        let fields = FieldRules.normalized(
            table: person, ["idNumber": .string("61100219850312001x"), "name": .string("x")])
        #expect(fields["idNumber"] == .string("61100219850312001X"))
        #expect(fields["name"] == .string("x"))
        #expect(throws: RuleViolation.self) {
            try FieldRules.validate(table: person, field: "idNumber", value: .string("61100219850312001Y"))
        }
    }
}

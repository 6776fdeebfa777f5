import Foundation
import MutualAidDomain
import TestSupport
import Testing

/// The one stamping rule of server writes: strictly after every stamp a record holds, never
/// before the server's time, fixed width so text order is clock order.
@Suite struct ServerStampTests {
    static let now: Int64 = 1_764_560_000_000

    @Test func aFreshRecordGetsTheServersTime() {
        #expect(
            HLCTimestamp.serverStamp(after: [:], nowMillis: Self.now)
                == HLCTimestamp(millis: Self.now, counter: 0, node: "server"))
        let old = ["a": HLCTimestamp(millis: Self.now - 5, counter: 9, node: "zz").description]
        #expect(HLCTimestamp.serverStamp(after: old, nowMillis: Self.now).millis == Self.now)
    }

    /// Acquire, suspend and resume in one push share one server time: each write must still
    /// beat the one before it, whatever node wrote the newest stamp.
    @Test func writesInTheSameMillisecondStillOrder() {
        var record = VersionedRecord()
        var previous: String?
        for (i, state) in ["held", "suspended", "first-review", "suspended", "first-review"].enumerated() {
            let applied = record.mergeServerWrite(
                ["state": .string(state), "step": .int(Int64(i))], nowMillis: Self.now)
            #expect(applied)
            let stamp = record.clocks["state"]!
            if let previous { #expect(stamp > previous) }
            previous = stamp
        }
        #expect(record.fields["state"] == .string("first-review"))
        #expect(HLCTimestamp(previous!)! == HLCTimestamp(millis: Self.now, counter: 4, node: "server"))
        // A client stamp at the same millisecond and counter from a node sorting after "server"
        // is still beaten: the counter moves, not only the node.
        let clocks = ["payee": HLCTimestamp(millis: Self.now, counter: 7, node: "zzz-device").description]
        #expect(
            HLCTimestamp.serverStamp(after: clocks, nowMillis: Self.now)
                == HLCTimestamp(millis: Self.now, counter: 8, node: "server"))
    }

    /// A device clock ahead of the server (allowed up to a day) stamped one field; the server's
    /// write of any field comes after it, so it is never the older write.
    @Test func aClientClockAheadOnAnyFieldIsBeaten() {
        let ahead = HLCTimestamp(millis: Self.now + 23 * 3_600_000, counter: 3, node: "phone").description
        var record = VersionedRecord(fields: ["payeeBankAccount": .string("1")], clocks: ["payeeBankAccount": ahead])
        let applied = record.mergeServerWrite(
            ["payeeBankAccount": .string("2"), "state": .string("x")], nowMillis: Self.now)
        #expect(applied)
        #expect(record.fields["payeeBankAccount"] == .string("2"))
        #expect(record.clocks["state"]! > ahead)
        #expect(HLCTimestamp(record.clocks["state"]!)!.millis == Self.now + 23 * 3_600_000)
    }

    @Test func counterOverflowBorrowsTheNextMillisecond() {
        let full = HLCTimestamp(millis: Self.now, counter: 99_999, node: "a").description
        let stamp = HLCTimestamp.serverStamp(after: ["f": full], nowMillis: Self.now)
        #expect(stamp == HLCTimestamp(millis: Self.now + 1, counter: 0, node: "server"))
        #expect(stamp.description > full)
        #expect(stamp.description == "0001764560000001-00000-server")
    }

    /// Text order is clock order for every stamp the rule makes, over seeded random histories.
    @Test func stampsSortAsText() {
        var rng = SplitMix64(environment: "SERVER_STAMP_SEED", default: 0x5EED_2026_1201)
        let seed = rng.seed
        for _ in 0..<200 {
            var clocks: [String: String] = [:]
            for field in 0..<Int(rng.next() % 4) {
                let millis = Self.now + Int64(rng.next() % 5) - 2
                let counter = rng.next() % 3 == 0 ? 99_999 : Int(rng.next() % 100_000)
                clocks["f\(field)"] =
                    HLCTimestamp(millis: millis, counter: counter, node: ["a", "server", "zz"][Int(rng.next() % 3)])
                    .description
            }
            let stamp = HLCTimestamp.serverStamp(after: clocks, nowMillis: Self.now)
            for held in clocks.values {
                #expect(stamp.description > held, "seed \(seed): \(stamp) after \(held)")
                #expect(stamp > HLCTimestamp(held)!)
            }
            #expect(stamp.millis >= Self.now)
            #expect(HLCTimestamp(stamp.description) == stamp)
        }
    }

    @Test func aWriteThatCannotWinIsReported() {
        // Not a stamp the rule can read, but one that sorts after anything it makes: the merge
        // must say the write did not apply rather than pretend it did.
        var record = VersionedRecord(fields: ["state": .string("a")], clocks: ["state": "~not-a-stamp"])
        let applied = record.mergeServerWrite(["state": .string("b")], nowMillis: Self.now)
        #expect(!applied)
    }
}

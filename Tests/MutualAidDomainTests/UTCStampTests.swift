import Foundation
import MutualAidDomain
import TestSupport
import Testing

/// The stored stamps are written by day arithmetic now; every stamp already in a store was
/// written by Foundation's ISO 8601 style, so the two must agree digit for digit and each must
/// read the other's text.
@Suite struct UTCStampTests {
    static let withMilliseconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    static let plain = Date.ISO8601FormatStyle()

    /// Instants from 1966 to 2096, with whole milliseconds, microseconds and nanoseconds.
    static func instants(count: Int) -> [Date] {
        var random = SplitMix64(environment: "UTC_STAMP_SEED", default: 20_261_207)
        return (0..<count).map { n in
            let seconds = Double(Int64(random.next() % 4_000_000_000) - 100_000_000)
            let scale: UInt64 = [1_000, 1_000_000, 1_000_000_000][n % 3]
            return Date(timeIntervalSince1970: seconds + Double(random.next() % scale) / Double(scale))
        }
    }

    @Test func writesWhatFoundationWrote() {
        var mismatches = 0
        for date in Self.instants(count: 50_000) {
            if UTCStamp.text(date, milliseconds: true) != Self.withMilliseconds.format(date)
                || UTCStamp.text(date) != Self.plain.format(date)
            {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        // Foundation truncates the milliseconds (the double below .123 prints .122); so do we.
        let date = Date(timeIntervalSince1970: 1_800_000_000.123)
        #expect(UTCStamp.text(date, milliseconds: true) == "2027-01-15T08:00:00.122Z")
        #expect(UTCStamp.text(Date(timeIntervalSince1970: -1.5), milliseconds: true) == "1969-12-31T23:59:58.500Z")
    }

    @Test func readsWhatFoundationReadsAndBackToTheSameText() throws {
        var far = 0
        var changed = 0
        for date in Self.instants(count: 50_000) {
            let text = Self.withMilliseconds.format(date)
            guard let read = UTCStamp.date(text) else {
                Issue.record("unread: \(text)")
                continue
            }
            let foundation = try Self.withMilliseconds.parse(text)
            if abs(read.timeIntervalSince(foundation)) > 1e-6 { far += 1 }
            if UTCStamp.text(read, milliseconds: true) != text { changed += 1 }
            let whole = Self.plain.format(date)
            if UTCStamp.date(whole) != (try Self.plain.parse(whole)) { far += 1 }
        }
        #expect(far == 0)
        #expect(changed == 0)
    }

    @Test func readsOffsetsAndLongFractionsAndRefusesTheRest() throws {
        let utc = try #require(UTCStamp.date("2026-12-07T20:51:15.123Z"))
        #expect(UTCStamp.date("2026-12-08T04:51:15.123+08:00") == utc)
        #expect(UTCStamp.text(utc, milliseconds: true) == "2026-12-07T20:51:15.123Z")
        let micro = try #require(UTCStamp.date("2026-12-07T20:51:15.123456Z"))
        #expect(abs(micro.timeIntervalSince1970 - 1_796_676_675.123456) < 1e-6)
        for bad in [
            "", "x", "2026-12-07T20:51:15", "2026-12-07T20:51:15.Z", "2026-13-07T20:51:15Z",
            "2026-02-30T00:00:00Z", "2026-12-07 20:51:15Z", "2026-12-07T24:00:00Z", "2026-12-07T20:51:15+0800",
            "2026-12-07T20:51:15Zjunk", "２026-12-07T20:51:15Z",
        ] {
            #expect(UTCStamp.date(bad) == nil, "\(bad)")
        }
    }

    @Test func daysAndSecondsAtAnOffset() {
        // 2026-12-07 20:51:15 UTC is 2026-12-08 04:51:15 in Beijing.
        let date = Date(timeIntervalSince1970: 1_796_676_675.9)
        let utc = UTCStamp.dayAndSecond(of: date)
        #expect(utc.day.description == "2026-12-07" && utc.second == 20 * 3600 + 51 * 60 + 15)
        let beijing = UTCStamp.dayAndSecond(of: date, offset: 8 * 3600)
        #expect(beijing.day.description == "2026-12-08" && beijing.second == 4 * 3600 + 51 * 60 + 15)
    }
}

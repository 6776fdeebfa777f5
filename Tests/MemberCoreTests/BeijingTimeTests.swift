import Foundation
import MemberCore
import Testing

/// Instants shown to people are Beijing wall time, worked out without a Calendar (P7).
@Suite struct BeijingTimeTests {
    @Test(arguments: [
        ("2026-12-01T16:05:00Z", "2026-12-02 00:05"),
        ("2026-12-02T06:05:59.900Z", "2026-12-02 14:05"),
        ("2026-12-31T15:59:59Z", "2026-12-31 23:59"),
        ("2026-12-31T16:00:00Z", "2027-01-01 00:00"),
        ("2024-02-28T16:30:00Z", "2024-02-29 00:30"),
        ("1970-01-01T00:00:00Z", "1970-01-01 08:00"),
        ("1969-12-31T15:59:00Z", "1969-12-31 23:59"),
    ])
    func stampsReadAsBeijingWallTime(stamp: String, expected: String) {
        #expect(BeijingTime.text(stamp) == expected)
    }

    @Test func textThatIsNotAStampIsShownAsIs() {
        #expect(BeijingTime.text("明天") == "明天")
        #expect(BeijingTime.text(nil) == "—")
    }

    /// The arithmetic agrees with Foundation's calendar at every minute of a day across a year end.
    @Test func agreesWithTheCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let start = Date(timeIntervalSince1970: 1_798_732_800 - 43_200)  // 2026-12-31 20:00 Beijing
        for minute in stride(from: 0, to: 24 * 60, by: 7) {
            let date = start.addingTimeInterval(Double(minute * 60) + 0.5)
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            let expected = String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
            #expect(BeijingTime.text(date) == expected)
        }
    }
}

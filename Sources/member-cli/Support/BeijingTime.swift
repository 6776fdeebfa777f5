import Foundation
import MutualAidDomain

/// Instants as people here read them: "2026-12-02 14:05（北京时间）" from the server's ISO 8601 UTC.
enum BeijingTime {
    static func text(_ iso: String?) -> String {
        guard let iso, let date = parse(iso) else { return iso ?? "—" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CalendarDate.chinaTimeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    private static func parse(_ iso: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(iso))
            ?? (try? Date.ISO8601FormatStyle().parse(iso))
    }
}

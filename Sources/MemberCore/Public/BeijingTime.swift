import Foundation
import MutualAidDomain

/// Instants as people here read them: "2026-12-02 14:05" in Beijing, from the server's ISO 8601
/// UTC stamps. One place for the terminal, the printed forms and the searches.
public enum BeijingTime {
    /// The stamp in Beijing time; the text itself when it is not a stamp, "—" when absent.
    public static func text(_ iso: String?) -> String {
        guard let iso, let date = MemberClient.parseTimestamp(iso) else { return iso ?? "—" }
        return text(date)
    }

    public static func text(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    /// The calendar day in Beijing of a stamp.
    public static func day(_ iso: String) -> CalendarDate? {
        MemberClient.parseTimestamp(iso).map { CalendarDate.today(in: CalendarDate.chinaTimeZone, now: $0) }
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CalendarDate.chinaTimeZone
        return calendar
    }()
}

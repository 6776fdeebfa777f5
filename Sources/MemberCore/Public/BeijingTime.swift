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

    /// Day and minute arithmetic on the fixed +8 offset: a Calendar would load ICU's zone data,
    /// a third of `member-cli status`'s start-up (P7).
    public static func text(_ date: Date) -> String {
        let (day, second) = UTCStamp.dayAndSecond(of: date, offset: 8 * 3600)
        return "\(day) \(UTCStamp.two(second / 3600)):\(UTCStamp.two(second % 3600 / 60))"
    }

    /// The calendar day in Beijing of a stamp.
    public static func day(_ iso: String) -> CalendarDate? {
        MemberClient.parseTimestamp(iso).map { CalendarDate.today(in: CalendarDate.chinaTimeZone, now: $0) }
    }
}

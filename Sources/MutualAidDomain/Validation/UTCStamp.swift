import Foundation

/// Instants as the stores keep them: UTC ISO 8601 text, "2026-12-07T20:51:15Z" (the client's
/// own stamps) or with milliseconds, "2026-12-07T20:51:15.123Z" (the server's), by day
/// arithmetic. Foundation's ISO 8601 style builds a Gregorian calendar whose first use loads
/// ICU's zone data: 40–50 ms of disk reads at the end of a first sync when the page cache had
/// dropped it (P2), for text that never depends on a zone. Same text as that style, digit for
/// digit (milliseconds truncated, as it does); `UTCStampTests` holds the two side by side.
public enum UTCStamp {
    /// The stamp of `date`; with `milliseconds`, three digits of the second's fraction.
    public static func text(_ date: Date, milliseconds: Bool = false) -> String {
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        let (day, second) = dayAndSecond(of: date)
        var text = "\(day)T\(two(second / 3600)):\(two(second % 3600 / 60)):\(two(second % 60))"
        if milliseconds {
            let ms = min(999, Int((interval - whole) * 1000))
            text += ms < 10 ? ".00\(ms)" : ms < 100 ? ".0\(ms)" : ".\(ms)"
        }
        return text + "Z"
    }

    /// The instant of a stamp: "YYYY-MM-DDTHH:MM:SS", an optional fraction of any length, then
    /// "Z" or an offset "±HH:MM". Nil for anything else. A fraction of three digits or fewer
    /// reads back to the same text (the nearest double below would print one millisecond less).
    public static func date(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x74,
            b[13] == 0x3A, b[16] == 0x3A,
            let year = number(b, 0, 4), let month = number(b, 5, 2), let dayOfMonth = number(b, 8, 2),
            let hour = number(b, 11, 2), let minute = number(b, 14, 2), let second = number(b, 17, 2),
            hour < 24, minute < 60, second < 60,
            let day = CalendarDate(year: year, month: month, day: dayOfMonth)
        else { return nil }
        var i = 19
        var fraction = 0
        var digits = 0
        if b[i] == 0x2E {
            i += 1
            while i < b.count, (0x30...0x39).contains(b[i]) {
                if digits < 9 {
                    fraction = fraction * 10 + Int(b[i] - 0x30)
                    digits += 1
                }
                i += 1
            }
            guard digits > 0 else { return nil }
        }
        guard let offset = zoneOffset(b, from: i) else { return nil }
        let whole = Double(day.dayNumber * 86_400 + hour * 3600 + minute * 60 + second - offset)
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        var date = Date(timeIntervalSince1970: whole + Double(fraction) / scale)
        if digits <= 3 {
            // A Date counts from 2001: step there until the text reads back.
            let ms = fraction * [1000, 100, 10, 1][digits]
            while Int((date.timeIntervalSince1970 - whole) * 1000) < ms {
                date = Date(timeIntervalSinceReferenceDate: date.timeIntervalSinceReferenceDate.nextUp)
            }
        }
        return date
    }

    /// The calendar day of an instant and the second within it, `offset` seconds east of UTC
    /// (China's +8 hours for what people read).
    public static func dayAndSecond(of date: Date, offset: Int = 0) -> (day: CalendarDate, second: Int) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        return (CalendarDate(dayNumber: days), seconds - days * 86_400)
    }

    /// Two digits, zero first: hours, minutes, seconds, days of month.
    public static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    private static func number(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var n = 0
        for k in start..<(start + count) {
            guard (0x30...0x39).contains(b[k]) else { return nil }
            n = n * 10 + Int(b[k] - 0x30)
        }
        return n
    }

    /// Seconds east of UTC for "Z" or "±HH:MM" ending the text at `i`.
    private static func zoneOffset(_ b: [UInt8], from i: Int) -> Int? {
        if i == b.count - 1, b[i] == 0x5A || b[i] == 0x7A { return 0 }
        guard i + 6 == b.count, b[i] == 0x2B || b[i] == 0x2D, b[i + 3] == 0x3A,
            let h = number(b, i + 1, 2), let m = number(b, i + 4, 2), h < 24, m < 60
        else { return nil }
        return (b[i] == 0x2B ? 1 : -1) * (h * 3600 + m * 60)
    }
}

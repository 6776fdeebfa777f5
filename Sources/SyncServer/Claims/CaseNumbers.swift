import Foundation
import MutualAidDomain
import SyncStorage

/// Numbers the server issues: prefix + office code + date (China time) + an 8-digit running
/// sequence, e.g. CL26022025030500001285. Unique and increasing: the sequence row is read and
/// advanced inside the caller's write transaction.
enum CaseNumbers {
    static let chinaTime = TimeZone(secondsFromGMT: 8 * 3600)!

    static func next(_ db: any SQLConnection, prefix: String, officeCode: String, now: Date) throws -> String {
        let name = "\(prefix):\(officeCode)"
        let value =
            try db.fetchValue(Int.self, sql: "SELECT next FROM number_sequence WHERE name = ?", arguments: [name]) ?? 1
        try db.execute(
            sql: """
                INSERT INTO number_sequence (name, next) VALUES (?, ?)
                ON CONFLICT(name) DO UPDATE SET next = excluded.next
                """, arguments: [name, value + 1])
        let sequence = String(value)
        return prefix + officeCode + yyyyMMdd(now) + String(repeating: "0", count: max(0, 8 - sequence.count))
            + sequence
    }

    /// By day arithmetic: a Calendar and `String(format:)` per case number cost more than the
    /// number's own statements.
    static func yyyyMMdd(_ date: Date) -> String {
        String(CalendarDate.today(in: chinaTime, now: date).description.filter { $0 != "-" })
    }

    /// The office code of the office an organisation path starts with ("/2602/…" → its code).
    static func officeCode(_ db: any SQLConnection, orgPath: String) throws -> String {
        let officeId = orgPath.split(separator: "/").first.map(String.init) ?? ""
        return try db.fetchValue(String.self, sql: "SELECT code FROM org WHERE id = ?", arguments: [officeId])
            ?? officeId
    }
}

import Foundation
import GRDB
import MutualAidDomain

/// 确认书打印 list: the letters the replica holds, printed or not, by confirmation date. The
/// print count is the server's, so a print made offline counts once it has synced.
extension MemberClient {
    public func letters(printed: Bool? = nil, from: CalendarDate? = nil, to: CalendarDate? = nil) throws
        -> [LetterListRow]
    {
        try database.read { db in
            try self.database.table(.enrolmentApplication).all(db, where: "letter_number IS NOT NULL").compactMap {
                _, f -> LetterListRow? in
                guard let number = f["letterNumber"]?.stringValue, !number.isEmpty else { return nil }
                let confirmed = f["confirmedAt"]?.stringValue.flatMap(BeijingTime.day)
                let count = f["printCount"]?.intValue ?? 0
                if let printed, printed != (count > 0) { return nil }
                if let from, confirmed.map({ $0 < from }) ?? true { return nil }
                if let to, confirmed.map({ $0 > to }) ?? true { return nil }
                let fees = JSONText.decode([ActivityFees].self, f["fees"]?.stringValue) ?? []
                return LetterListRow(
                    letterNumber: number, unitName: f["unitName"]?.stringValue ?? "",
                    activities: fees.map(\.activityName), printed: count > 0, printCount: count,
                    effective: f["periodStart"]?.stringValue, confirmed: confirmed?.description,
                    fee: fees.reduce(.zero) { $0 + $1.total }, state: f["state"]?.stringValue ?? "")
            }.sorted { ($0.confirmed ?? "", $0.letterNumber) > ($1.confirmed ?? "", $1.letterNumber) }
        }
    }
}

/// One letter as 确认书打印 lists it, newest confirmation first.
public struct LetterListRow: Sendable, Codable, Equatable {
    public var letterNumber: String
    public var unitName: String
    public var activities: [String]
    public var printed: Bool
    public var printCount: Int
    /// 生效日期 and 确认日期 (北京时间), YYYY-MM-DD.
    @NullWhenAbsent public var effective: String?
    @NullWhenAbsent public var confirmed: String?
    /// 会费: fee × shares × insured over the activities, as the letter totals it.
    public var fee: Money
    public var state: String

    public var printText: String { printed ? "已打印" : "未打印" }
}

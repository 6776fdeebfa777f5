import Foundation

/// Fee income per agency for a year (业务看板): ranking, and the year before beside it.
public enum FeeDashboard {
    /// One confirmed application's income: the payable amount on the day payment was confirmed.
    public struct Income: Hashable, Sendable {
        public var agencyId: String
        public var agencyName: String
        public var confirmed: CalendarDate
        public var amount: Money
        public init(agencyId: String, agencyName: String, confirmed: CalendarDate, amount: Money) {
            self.agencyId = agencyId
            self.agencyName = agencyName
            self.confirmed = confirmed
            self.amount = amount
        }
    }

    public struct Row: Hashable, Sendable, Codable {
        public var rank: Int
        public var agencyId: String
        public var agencyName: String
        public var amount: Money
        public var previous: Money
        public var applications: Int
        /// Change against the year before, in basis points; nil when there was nothing then.
        public var changeBp: Int?

        public var changeText: String { YearOnYear.text(changeBp) }
    }

    public static func rows(_ incomes: [Income], year: Int) -> [Row] {
        var byAgency: [String: (name: String, now: Money, before: Money, count: Int)] = [:]
        for income in incomes where income.confirmed.year == year || income.confirmed.year == year - 1 {
            var entry = byAgency[income.agencyId] ?? (income.agencyName, .zero, .zero, 0)
            if income.confirmed.year == year {
                entry.now = entry.now + income.amount
                entry.count += 1
            } else {
                entry.before = entry.before + income.amount
            }
            byAgency[income.agencyId] = entry
        }
        let sorted = byAgency.sorted { a, b in
            a.value.now != b.value.now ? a.value.now > b.value.now : a.key < b.key
        }
        return sorted.enumerated().map { index, item in
            let v = item.value
            let change = YearOnYear.basisPoints(now: v.now.cents, before: v.before.cents)
            return Row(
                rank: index + 1, agencyId: item.key, agencyName: v.name, amount: v.now, previous: v.before,
                applications: v.count, changeBp: change)
        }
    }

    public static let csvHeader = ["排名", "代办机构", "会费收入（元）", "上年同期（元）", "同比", "参保申请数"]

    /// CSV (UTF-8 with BOM so Excel shows the Chinese) of the ranking.
    public static func csv(_ rows: [Row]) -> String {
        CSVText.document(
            [csvHeader]
                + rows.map {
                    [
                        String($0.rank), $0.agencyName, $0.amount.description, $0.previous.description,
                        $0.changeText, String($0.applications),
                    ]
                })
    }
}

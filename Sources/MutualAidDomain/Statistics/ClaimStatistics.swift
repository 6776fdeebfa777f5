/// Claim statistics (申领统计): counts and amounts of the claims accepted in a year, grouped by
/// agency, claim type or month, beside the same period a year earlier (同比).
///
/// Claims are dated by their acceptance day (受理时间, 北京时间): the manual's pools and
/// 申领查询 all filter by it, and every accepted claim has one, while only a fraction are
/// closed within the year. The amount is the calculated claim amount (申领金额) of claims that
/// were not refused or withdrawn; the closed amount (结案金额) is what was paid.
public enum ClaimStatistics {
    public enum Grouping: String, CaseIterable, Codable, Sendable {
        case agency
        case claimType = "claim-type"
        case month

        public var chineseName: String {
            switch self {
            case .agency: "代办机构"
            case .claimType: "申领类型"
            case .month: "月份"
            }
        }
    }

    /// One accepted claim as the statistics need it.
    public struct Claim: Hashable, Sendable {
        public var agencyId: String
        public var agencyName: String
        /// The wire name of the claim type (`ClaimType.rawValue`).
        public var claimType: String
        public var accepted: CalendarDate
        public var state: CaseState
        public var amount: Money?
        public init(
            agencyId: String, agencyName: String, claimType: String, accepted: CalendarDate, state: CaseState,
            amount: Money?
        ) {
            self.agencyId = agencyId
            self.agencyName = agencyName
            self.claimType = claimType
            self.accepted = accepted
            self.state = state
            self.amount = amount
        }

        /// Refused and withdrawn claims are counted as accepted but pay nothing.
        var countedAmount: Money {
            state == .rejected || state == .cancelled ? .zero : amount ?? .zero
        }
        var closedAmount: Money { state == .closed ? amount ?? .zero : .zero }
    }

    public struct Row: Hashable, Sendable, Codable {
        public var key: String
        public var label: String
        public var count = 0
        public var amount = Money.zero
        public var closedAmount = Money.zero
        public var previousCount = 0
        public var previousAmount = Money.zero

        /// 同比 in basis points; nil when the same period a year earlier had nothing.
        public var countChangeBp: Int? { YearOnYear.basisPoints(now: Int64(count), before: Int64(previousCount)) }
        public var amountChangeBp: Int? { YearOnYear.basisPoints(now: amount.cents, before: previousAmount.cents) }

        init(key: String, label: String) {
            self.key = key
            self.label = label
        }

        enum CodingKeys: String, CodingKey {
            case key, label, count, amount, closedAmount, previousCount, previousAmount, countChange, amountChange
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(key, forKey: .key)
            try c.encode(label, forKey: .label)
            try c.encode(count, forKey: .count)
            try c.encode(amount, forKey: .amount)
            try c.encode(closedAmount, forKey: .closedAmount)
            try c.encode(previousCount, forKey: .previousCount)
            try c.encode(previousAmount, forKey: .previousAmount)
            try c.encode(YearOnYear.text(countChangeBp), forKey: .countChange)
            try c.encode(YearOnYear.text(amountChangeBp), forKey: .amountChange)
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            key = try c.decode(String.self, forKey: .key)
            label = try c.decode(String.self, forKey: .label)
            count = try c.decode(Int.self, forKey: .count)
            amount = try c.decode(Money.self, forKey: .amount)
            closedAmount = try c.decode(Money.self, forKey: .closedAmount)
            previousCount = try c.decode(Int.self, forKey: .previousCount)
            previousAmount = try c.decode(Money.self, forKey: .previousAmount)
        }

        mutating func add(_ claim: Claim, current: Bool) {
            if current {
                count += 1
                amount = amount + claim.countedAmount
                closedAmount = closedAmount + claim.closedAmount
            } else {
                previousCount += 1
                previousAmount = previousAmount + claim.countedAmount
            }
        }
    }

    public struct Report: Hashable, Sendable, Codable {
        public var year: Int
        public var grouping: Grouping
        /// The period counted, and the same days a year earlier.
        public var from: CalendarDate
        public var to: CalendarDate
        public var previousFrom: CalendarDate
        public var previousTo: CalendarDate
        public var rows: [Row]
        public var total: Row
    }

    /// The report for `year` up to `through` (the whole year when nil or later): a year still
    /// running is compared with the same days of the year before, not with all of it.
    public static func report(_ claims: [Claim], year: Int, through: CalendarDate? = nil, by grouping: Grouping)
        -> Report
    {
        let from = CalendarDate(year: year, month: 1, day: 1)!
        let yearEnd = CalendarDate(year: year, month: 12, day: 31)!
        let to = max(from, min(through ?? yearEnd, yearEnd))
        let previousFrom = CalendarDate(year: year - 1, month: 1, day: 1)!
        // 29 February has no twin a year earlier; the period ends on the 28th then.
        let previousTo =
            CalendarDate(year: year - 1, month: to.month, day: to.day)
            ?? CalendarDate(year: year - 1, month: to.month, day: to.day - 1)!

        var rows: [String: Row] = [:]
        if grouping == .month {
            for month in 1...to.month { rows[monthKey(month)] = Row(key: monthKey(month), label: "\(month)月") }
        }
        var total = Row(key: "total", label: "合计")
        for claim in claims {
            let current = (from...to).contains(claim.accepted)
            guard current || (previousFrom...previousTo).contains(claim.accepted) else { continue }
            let (key, label) = group(claim, by: grouping)
            rows[key, default: Row(key: key, label: label)].add(claim, current: current)
            total.add(claim, current: current)
        }
        return Report(
            year: year, grouping: grouping, from: from, to: to, previousFrom: previousFrom, previousTo: previousTo,
            rows: rows.values.sorted(by: order(grouping)), total: total)
    }

    private static func monthKey(_ month: Int) -> String { month < 10 ? "0\(month)" : "\(month)" }

    private static func group(_ claim: Claim, by grouping: Grouping) -> (key: String, label: String) {
        switch grouping {
        case .agency:
            (claim.agencyId, claim.agencyName.isEmpty ? claim.agencyId : claim.agencyName)
        case .claimType:
            (claim.claimType, ClaimType(rawValue: claim.claimType)?.chineseName ?? claim.claimType)
        case .month:
            (monthKey(claim.accepted.month), "\(claim.accepted.month)月")
        }
    }

    /// Months in calendar order, claim types in the catalogue's order, agencies busiest first.
    private static func order(_ grouping: Grouping) -> (Row, Row) -> Bool {
        switch grouping {
        case .month:
            return { $0.key < $1.key }
        case .claimType:
            let rank = Dictionary(uniqueKeysWithValues: ClaimType.allCases.enumerated().map { ($1.rawValue, $0) })
            return { (rank[$0.key] ?? Int.max, $0.key) < (rank[$1.key] ?? Int.max, $1.key) }
        case .agency:
            return { ($1.count, $1.amount, $0.label, $0.key) < ($0.count, $0.amount, $1.label, $1.key) }
        }
    }

    public static func header(_ grouping: Grouping) -> [String] {
        [grouping.chineseName, "受理件数", "上年同期件数", "件数同比", "申领金额（元）", "上年同期金额（元）", "金额同比", "结案金额（元）"]
    }

    /// The report as table lines (rows, then the total), as the terminal, CSV and xlsx show it.
    public static func lines(_ report: Report) -> [[String]] {
        (report.rows + [report.total]).map {
            [
                $0.label, String($0.count), String($0.previousCount), YearOnYear.text($0.countChangeBp),
                $0.amount.description, $0.previousAmount.description, YearOnYear.text($0.amountChangeBp),
                $0.closedAmount.description,
            ]
        }
    }

    public static func csv(_ report: Report) -> String {
        CSVText.document([header(report.grouping)] + lines(report))
    }
}

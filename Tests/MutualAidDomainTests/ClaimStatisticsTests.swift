import MutualAidDomain
import Testing

/// 申领统计: groups, exact sums and the same period a year earlier.
struct ClaimStatisticsTests {
    static func claim(
        _ agency: String, _ type: ClaimType, _ date: String, _ amount: String?, _ state: CaseState = .firstReview
    ) -> ClaimStatistics.Claim {
        .init(
            agencyId: agency, agencyName: "\(agency)总工会", claimType: type.rawValue, accepted: CalendarDate(date)!,
            state: state, amount: amount.flatMap(Money.init))
    }

    static let claims: [ClaimStatistics.Claim] = [
        claim("sz", .hospitalization, "2026-01-05", "79.00", .closed),
        claim("sz", .hospitalization, "2026-03-10", "0.10"),
        claim("sz", .accidentDeath, "2026-03-31", "0.20"),
        claim("ln", .hospitalization, "2026-02-01", "1000.00", .rejected),
        claim("ln", .criticalIllness, "2026-06-30", nil),
        // A year earlier: inside the same period, then after it.
        claim("sz", .hospitalization, "2025-03-01", "40.00"),
        claim("ln", .hospitalization, "2025-06-30", "10.00", .closed),
        claim("ln", .hospitalization, "2025-07-01", "999.00"),
        // Two years earlier and the next year count nowhere.
        claim("sz", .hospitalization, "2024-03-01", "5.00"),
        claim("sz", .hospitalization, "2027-01-01", "5.00"),
    ]

    @Test func byAgencyCountsSumsAndComparesTheSameDays() {
        let report = ClaimStatistics.report(
            Self.claims, year: 2026, through: CalendarDate("2026-06-30"), by: .agency)
        #expect(report.to == CalendarDate("2026-06-30") && report.previousTo == CalendarDate("2025-06-30"))
        #expect(report.rows.map(\.key) == ["sz", "ln"])
        let sz = report.rows[0]
        #expect(sz.label == "sz总工会")
        #expect(sz.count == 3 && sz.amount == Money("79.30") && sz.closedAmount == Money("79.00"))
        #expect(sz.previousCount == 1 && sz.previousAmount == Money("40.00"))
        #expect(sz.countChangeBp == 20_000 && YearOnYear.text(sz.amountChangeBp) == "+98.25%")
        let ln = report.rows[1]
        // The refused claim is counted as accepted but adds nothing; 2025-07-01 is after the period.
        #expect(ln.count == 2 && ln.amount == .zero && ln.previousCount == 1 && ln.previousAmount == Money("10.00"))
        #expect(YearOnYear.text(ln.amountChangeBp) == "-100.00%")
        #expect(report.total.count == 5 && report.total.amount == Money("79.30"))
        #expect(report.total.previousCount == 2 && report.total.previousAmount == Money("50.00"))
    }

    @Test func aWholeYearComparesWithTheWholeYearBefore() {
        let report = ClaimStatistics.report(Self.claims, year: 2026, by: .claimType)
        #expect(report.previousTo == CalendarDate("2025-12-31"))
        #expect(report.rows.map(\.label) == ["疾病住院", "意外身故", "重疾"])
        let hospital = report.rows[0]
        #expect(hospital.count == 3 && hospital.previousCount == 3)
        #expect(hospital.amount == Money("79.10") && hospital.previousAmount == Money("1049.00"))
        #expect(hospital.countChangeBp == 0 && YearOnYear.text(hospital.countChangeBp) == "+0.00%")
        #expect(report.rows[2].amount == .zero && report.rows[2].previousCount == 0)
        #expect(YearOnYear.text(report.rows[2].countChangeBp) == "—")
    }

    @Test func monthsRunToTheLastDayCountedEvenWhenEmpty() {
        let report = ClaimStatistics.report(
            Self.claims, year: 2026, through: CalendarDate("2026-04-15"), by: .month)
        #expect(report.rows.map(\.label) == ["1月", "2月", "3月", "4月"])
        #expect(report.rows.map(\.count) == [1, 1, 2, 0])
        #expect(report.rows[2].amount == Money("0.30") && report.rows[2].previousCount == 1)
        #expect(report.rows[3].previousCount == 0)
    }

    @Test func aLeapDayEndsTheYearBeforeOnThe28th() {
        let report = ClaimStatistics.report([], year: 2028, through: CalendarDate("2028-02-29"), by: .month)
        #expect(report.previousTo == CalendarDate("2027-02-28") && report.rows.count == 2)
        #expect(report.total.count == 0)
    }

    @Test func csvHasTheChineseHeaderRowsAndTotal() {
        let report = ClaimStatistics.report(
            Self.claims, year: 2026, through: CalendarDate("2026-06-30"), by: .claimType)
        let csv = ClaimStatistics.csv(report)
        #expect(csv.hasPrefix("\u{FEFF}申领类型,受理件数,上年同期件数,件数同比,申领金额（元）"))
        #expect(csv.contains("\r\n疾病住院,3,2,+50.00%,79.10,50.00,+58.20%,79.00\r\n"))
        #expect(csv.hasSuffix("合计,5,2,+150.00%,79.30,50.00,+58.60%,79.00\r\n"))
    }
}

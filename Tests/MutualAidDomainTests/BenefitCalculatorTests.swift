import MutualAidDomain
import Testing

/// Shorthands for the calculation tests.
private func d(_ text: String) -> CalendarDate { CalendarDate(text)! }
private func m(_ text: String) -> Money { Money(text)! }

private let period = ProtectionPeriod(start: d("2024-09-15"), end: d("2025-09-14"))

private let hospitalStandard = ClaimStandard(
    id: "hosp", activityId: "a95", claimType: .hospitalization, name: "住院医疗互助金",
    method: .medicalRatio, ratioBasisPoints: 7000, cap: m("20000"))

/// The manual's sheet: 岐山县医院, 2025-01-04 → 2025-01-13.
private let manualSheet = SettlementSheet(
    hospital: "岐山县医院", hospitalLevel: "二级", insuranceType: "职工医保", admitted: d("2025-01-04"),
    discharged: d("2025-01-13"), inScope: m("1728.59"), pooled: m("1015.73"), deductible: m("600.00"),
    largeAmount: m("0.00"))

private func stay(
    _ sheets: [SettlementSheet] = [manualSheet], admitted: String = "2025-01-04",
    discharged: String = "2025-01-13", shares: Int = 1
) -> ClaimFacts {
    .hospitalStay(
        admitted: d(admitted), discharged: d(discharged), settlementSheets: sheets,
        filingDate: d("2025-03-05"), period: period, shares: shares)
}

@Suite struct HospitalisationBenefitTests {
    @Test func manualExample() throws {
        let table = try BenefitCalculator.calculate(standards: [hospitalStandard], facts: stay())
        let line = try #require(table.lines.first)
        #expect(line.baseAmount.description == "112.86")
        #expect(line.baseDays == 9)
        #expect(line.shares == 1)
        #expect(line.ratioText == "70.00")
        #expect(line.benefit.description == "79.00")  // 112.86 × 0.7 = 79.002
        #expect(line.note == nil)
        #expect(table.total.description == "79.00")
    }

    @Test func baseIsSummedOverSheetsAndNeverNegativePerSheet() throws {
        var second = manualSheet
        second.inScope = m("500.00")
        second.pooled = m("450.00")
        second.deductible = m("100.00")  // −50 → 0
        var third = manualSheet
        third.inScope = m("300.01")
        third.pooled = m("100.00")
        third.deductible = .zero
        third.largeAmount = m("50.00")
        let table = try BenefitCalculator.calculate(
            standards: [hospitalStandard], facts: stay([manualSheet, second, third]))
        #expect(table.lines[0].baseAmount.description == "262.87")  // 112.86 + 0 + 150.01
        #expect(table.total.description == "184.01")  // 184.009 → 184.01
    }

    @Test func roundsHalfUpOnceAfterShares() throws {
        var sheet = manualSheet
        sheet.inScope = m("600.05")
        sheet.pooled = .zero
        sheet.deductible = m("600.00")  // base 0.05
        let table = try BenefitCalculator.calculate(standards: [hospitalStandard], facts: stay([sheet]))
        #expect(table.total.description == "0.04")  // 0.035 → 0.04 (half-up)
        let three = try BenefitCalculator.calculate(standards: [hospitalStandard], facts: stay([sheet], shares: 3))
        #expect(three.total.description == "0.11")  // 0.105 → 0.11, not 3 × 0.04
        #expect(three.lines[0].shares == 3)
    }

    @Test func capIsPerShare() throws {
        var sheet = manualSheet
        sheet.inScope = m("100000.00")
        sheet.pooled = .zero
        sheet.deductible = .zero
        let one = try BenefitCalculator.calculate(standards: [hospitalStandard], facts: stay([sheet]))
        #expect(one.total == m("20000.00"))
        #expect(one.lines[0].note == "已按封顶金额给付")
        let two = try BenefitCalculator.calculate(standards: [hospitalStandard], facts: stay([sheet], shares: 2))
        #expect(two.total == m("40000.00"))
    }

    @Test func dailyAllowanceUsesStayDays() throws {
        let allowance = ClaimStandard(
            id: "daily", activityId: "a80", claimType: .hospitalization, name: "住院津贴",
            method: .dailyAllowance, amount: m("50"), cap: m("1000"))
        let table = try BenefitCalculator.calculate(standards: [hospitalStandard, allowance], facts: stay(shares: 2))
        #expect(table.lines[1].baseAmount == m("50.00"))
        #expect(table.lines[1].baseDays == 9)
        #expect(table.lines[1].benefit == m("900.00"))  // 50 × 9 × 2
        #expect(table.lines[0].benefit == m("158.00"))  // 112.86 × 0.7 × 2 = 158.004
        #expect(table.total == m("1058.00"))
        // 30 days × 50 = 1500 per share, capped at 1000 per share.
        let long = try BenefitCalculator.calculate(
            standards: [allowance],
            facts: stay(admitted: "2025-01-04", discharged: "2025-02-03"))
        #expect(long.total == m("1000.00"))
    }

    @Test func stayDaysAreDischargeMinusAdmissionAndASameDayStayIsOne() {
        #expect(ClaimFacts.stayDays(admitted: d("2025-01-04"), discharged: d("2025-01-13")) == 9)
        #expect(ClaimFacts.stayDays(admitted: d("2025-01-04"), discharged: d("2025-01-05")) == 1)
        #expect(ClaimFacts.stayDays(admitted: d("2025-01-04"), discharged: d("2025-01-04")) == 1)
        #expect(ClaimFacts.stayDays(admitted: d("2024-02-28"), discharged: d("2024-03-01")) == 2)
        #expect(ClaimFacts.stayDays(admitted: d("2025-01-05"), discharged: d("2025-01-04")) == nil)
        #expect(ClaimFacts.stayDays(admitted: d("2025-01-05"), discharged: nil) == nil)
    }
}

@Suite struct FixedAndDisabilityBenefitTests {
    private let disability = ClaimStandard(
        id: "dis", activityId: "a20", claimType: .accidentDisability,
        name: "伤残互助金", method: .disabilityRatio, amount: m("10000"))
    private let death = ClaimStandard(
        id: "death", activityId: "a20", claimType: .accidentDeath,
        name: "身故和丧葬互助金", method: .fixed, amount: m("10000"))

    @Test func disabilityIsAmountTimesRatioTimesShares() throws {
        let facts = ClaimFacts(
            claimType: .accidentDisability, incidentDate: d("2025-02-01"),
            disabilityRatioBasisPoints: 4000, filingDate: d("2025-03-05"), period: period, shares: 2)
        let line = try #require(try BenefitCalculator.calculate(standards: [disability], facts: facts).lines.first)
        #expect(line.baseAmount == m("10000.00"))
        #expect(line.ratioText == "40.00")
        #expect(line.baseDays == nil)
        #expect(line.benefit == m("8000.00"))
    }

    @Test func disabilityFromTheStandardTable() throws {
        #expect(DisabilityGrade.standardTable.count == 10)
        #expect(DisabilityGrade.standard(grade: 1)?.ratioBasisPoints == 10_000)
        #expect(DisabilityGrade.standard(grade: 7)?.ratioBasisPoints == 4_000)
        #expect(DisabilityGrade.standard(grade: 10)?.ratioBasisPoints == 1_000)
        #expect(DisabilityGrade.standard(grade: 10)?.itemName == "十级伤残")
        #expect(DisabilityGrade.standard(grade: 11) == nil)
        let grade = try #require(DisabilityGrade.standard(grade: 9))
        let facts = ClaimFacts(
            claimType: .accidentDisability, incidentDate: d("2025-02-01"),
            disabilityRatioBasisPoints: grade.ratioBasisPoints, filingDate: d("2025-03-05"),
            period: period, shares: 1)
        #expect(try BenefitCalculator.calculate(standards: [disability], facts: facts).total == m("2000.00"))
    }

    @Test func deathIsFixedAmountTimesShares() throws {
        let facts = ClaimFacts(
            claimType: .accidentDeath, incidentDate: d("2024-09-15"), filingDate: d("2025-03-05"),
            period: period, shares: 3)
        let table = try BenefitCalculator.calculate(standards: [death], facts: facts)
        #expect(table.total == m("30000.00"))
        #expect(table.lines[0].ratioText == "100.00")
    }
}

@Suite struct CriticalIllnessPhaseTests {
    /// 35 重: 30-day waiting period, observation until day 60, 3500 consolation per share.
    private let critical = ClaimStandard(
        id: "ci", activityId: "a35", claimType: .criticalIllness,
        name: "重大疾病互助金", method: .fixed, amount: m("35000"),
        waitingDays: 30, observationDays: 60, consolation: m("3500"))

    private func facts(day: Int, renewal: Bool = false, type: ClaimType = .criticalIllness) -> ClaimFacts {
        ClaimFacts(
            claimType: type, incidentDate: period.start.adding(days: day), filingDate: d("2025-09-14"),
            period: period, shares: 2, isRenewalWithin15Days: renewal)
    }

    @Test func incidentOnTheStartDateIsDayZero() {
        #expect(facts(day: 0).dayOfCover == 0)
        #expect(facts(day: 0).incidentDate == period.start)
    }

    @Test(arguments: [0, 29])
    func waitingPeriodPaysNothing(day: Int) throws {
        let line = try BenefitCalculator.calculate(standards: [critical], facts: facts(day: day)).lines[0]
        #expect(line.benefit == .zero)
        #expect(line.ratioBasisPoints == 0)
        #expect(line.note == "等待期内出险，不予给付")
    }

    @Test(arguments: [30, 59])
    func observationPeriodPaysConsolationPerShare(day: Int) throws {
        let line = try BenefitCalculator.calculate(standards: [critical], facts: facts(day: day)).lines[0]
        #expect(line.baseAmount == m("3500.00"))
        #expect(line.benefit == m("7000.00"))
        #expect(line.note == "观察期内出险，仅给付慰问金")
    }

    @Test(arguments: [60, 300])
    func afterObservationPaysTheFullAmount(day: Int) throws {
        let line = try BenefitCalculator.calculate(standards: [critical], facts: facts(day: day)).lines[0]
        #expect(line.benefit == m("70000.00"))
        #expect(line.note == nil)
    }

    @Test(arguments: [0, 29, 30, 59])
    func timelyRenewalHasNoWaitingOrObservation(day: Int) throws {
        let line = try BenefitCalculator.calculate(standards: [critical], facts: facts(day: day, renewal: true)).lines[
            0]
        #expect(line.benefit == m("70000.00"))
    }

    @Test func observationWithoutConsolationPaysNothing() throws {
        let female = ClaimStandard(
            id: "f", activityId: "af", claimType: .femaleCriticalIllness, name: "女工特病互助金",
            method: .fixed, amount: m("10000"), waitingDays: 30, observationDays: 60)
        let line = try BenefitCalculator.calculate(
            standards: [female],
            facts: facts(day: 45, type: .femaleCriticalIllness)
        ).lines[0]
        #expect(line.benefit == .zero)
        #expect(line.note == "观察期内出险，本标准无慰问金，不予给付")
    }

    @Test func renewalWindowIsFifteenDaysAfterTheEnd() {
        let end = d("2025-09-14")  // cover ends 24:00 that day
        #expect(ClaimFacts.isTimelyRenewal(previousEnd: end, renewalStart: d("2025-09-15")))
        #expect(ClaimFacts.isTimelyRenewal(previousEnd: end, renewalStart: d("2025-09-30")))
        #expect(!ClaimFacts.isTimelyRenewal(previousEnd: end, renewalStart: d("2025-10-01")))
        #expect(ClaimFacts.isTimelyRenewal(previousEnd: end, renewalStart: d("2025-09-01")))  // renewed early
    }
}

@Suite struct MoneyRatioTests {
    @Test func applyingBasisPointsRoundsHalfUp() throws {
        #expect(try m("112.86").applying(basisPoints: 7000) == m("79.00"))
        #expect(try m("0.05").applying(basisPoints: 5000) == m("0.03"))  // 0.025 → 0.03
        #expect(try m("0.05").applying(basisPoints: 4999) == m("0.02"))  // 0.024995 → 0.02
        #expect(try m("-0.05").applying(basisPoints: 5000) == m("-0.03"))  // symmetric
        #expect(try m("100").applying(basisPoints: 3333, times: 3) == m("99.99"))
        #expect(throws: RuleViolation.self) { try Money(cents: .max / 2).applying(basisPoints: 10_000) }
    }

    @Test func percentText() {
        #expect(PercentText.format(basisPoints: 7000) == "70.00")
        #expect(PercentText.format(basisPoints: 4050) == "40.50")
        #expect(PercentText.format(basisPoints: 5) == "0.05")
        #expect(PercentText.format(basisPoints: 10_000) == "100.00")
        #expect(PercentText.parse("40.00") == 4000)
        #expect(PercentText.parse("70") == 7000)
        #expect(PercentText.parse("0.5") == 50)
        for bad in ["", "100.01", "40.", ".5", "4o", "40.001", "-1"] {
            #expect(PercentText.parse(bad) == nil, "\(bad)")
        }
    }
}

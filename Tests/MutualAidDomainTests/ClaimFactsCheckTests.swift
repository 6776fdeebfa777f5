import Foundation
import MutualAidDomain
import Testing

private func d(_ text: String) -> CalendarDate { CalendarDate(text)! }
private func m(_ text: String) -> Money { Money(text)! }

private let period = ProtectionPeriod.oneYear(from: d("2024-09-15"))  // 2024-09-15 … 2025-09-14

private let death = ClaimStandard(
    id: "death", activityId: "a20", claimType: .accidentDeath,
    name: "身故和丧葬互助金", method: .fixed, amount: m("10000"))
private let hospital = ClaimStandard(
    id: "hosp", activityId: "a95", claimType: .hospitalization,
    name: "住院医疗互助金", method: .medicalRatio, ratioBasisPoints: 7000)

private func deathFacts(incident: String, today: String = "2025-09-20", shares: Int = 1) -> ClaimFacts {
    ClaimFacts(
        claimType: .accidentDeath, incidentDate: d(incident), filingDate: d(today), period: period, shares: shares)
}

private func sheet(admitted: String = "2025-01-04", discharged: String = "2025-01-13") -> SettlementSheet {
    SettlementSheet(
        hospital: "岐山县医院", admitted: d(admitted), discharged: d(discharged),
        inScope: m("1728.59"), pooled: m("1015.73"), deductible: m("600.00"))
}

/// Asserts that the calculation is refused for `field`, with a message that carries no member data.
private func expectRefusal(
    _ field: String, standards: [ClaimStandard] = [death], _ facts: ClaimFacts,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        _ = try BenefitCalculator.calculate(standards: standards, facts: facts)
        Issue.record("expected a refusal on \(field)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.field == field, sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty && !error.message.contains("2025"), sourceLocation: sourceLocation)
    }
}

@Suite struct ClaimFactsCheckTests {
    @Test func incidentMustLieInsideTheProtectionPeriod() throws {
        _ = try BenefitCalculator.calculate(standards: [death], facts: deathFacts(incident: "2024-09-15"))
        _ = try BenefitCalculator.calculate(standards: [death], facts: deathFacts(incident: "2025-09-14"))
        expectRefusal("incidentDate", deathFacts(incident: "2024-09-14"))
        expectRefusal("incidentDate", deathFacts(incident: "2025-09-15"))
    }

    @Test func filingIsAllowedUntilTheSameDateTwoYearsLater() throws {
        _ = try BenefitCalculator.calculate(
            standards: [death], facts: deathFacts(incident: "2025-03-01", today: "2027-03-01"))
        expectRefusal("filingDate", deathFacts(incident: "2025-03-01", today: "2027-03-02"))
        #expect(ClaimFacts.filingDeadline(incident: d("2024-02-29")) == d("2026-03-01"))
        #expect(ClaimFacts.filingDeadline(incident: d("2025-01-13")) == d("2027-01-13"))
    }

    @Test func noDateMayLieAfterToday() {
        expectRefusal("incidentDate", deathFacts(incident: "2025-03-06", today: "2025-03-05"))
        let facts = ClaimFacts.hospitalStay(
            admitted: d("2025-03-01"), discharged: d("2025-03-06"),
            settlementSheets: [sheet()], filingDate: d("2025-03-05"),
            period: period, shares: 1)
        expectRefusal("discharged", standards: [hospital], facts)
        let futureSheet = ClaimFacts.hospitalStay(
            admitted: d("2025-01-04"), discharged: d("2025-01-13"),
            settlementSheets: [sheet(discharged: "2025-03-06")],
            filingDate: d("2025-03-05"), period: period, shares: 1)
        expectRefusal("discharged", standards: [hospital], futureSheet)
    }

    @Test func dischargeMayNotPrecedeAdmission() {
        let facts = ClaimFacts.hospitalStay(
            admitted: d("2025-01-13"), discharged: d("2025-01-04"),
            settlementSheets: [sheet()], filingDate: d("2025-03-05"),
            period: period, shares: 1)
        expectRefusal("discharged", standards: [hospital], facts)
        let badSheet = ClaimFacts.hospitalStay(
            admitted: d("2025-01-04"), discharged: d("2025-01-13"),
            settlementSheets: [sheet(admitted: "2025-01-13", discharged: "2025-01-04")],
            filingDate: d("2025-03-05"), period: period, shares: 1)
        expectRefusal("discharged", standards: [hospital], badSheet)
    }

    @Test func hospitalisationNeedsStayDatesAndSheets() {
        var facts = ClaimFacts.hospitalStay(
            admitted: d("2025-01-04"), discharged: d("2025-01-13"),
            settlementSheets: [], filingDate: d("2025-03-05"), period: period, shares: 1)
        expectRefusal("settlementSheets", standards: [hospital], facts)
        facts.settlementSheets = [sheet()]
        facts.discharged = nil
        expectRefusal("admitted", standards: [hospital], facts)
        facts.discharged = d("2025-01-13")
        facts.incidentDate = d("2025-01-05")
        expectRefusal("incidentDate", standards: [hospital], facts)
    }

    @Test func negativeSheetAmountsAreRefused() {
        var bad = sheet()
        bad.pooled = m("-1.00")
        let facts = ClaimFacts.hospitalStay(
            admitted: d("2025-01-04"), discharged: d("2025-01-13"),
            settlementSheets: [bad], filingDate: d("2025-03-05"), period: period, shares: 1)
        expectRefusal("pooled", standards: [hospital], facts)
    }

    @Test func disabilityNeedsARatio() {
        let disability = ClaimStandard(
            id: "dis", activityId: "a20", claimType: .accidentDisability,
            name: "伤残互助金", method: .disabilityRatio, amount: m("10000"))
        var facts = ClaimFacts(
            claimType: .accidentDisability, incidentDate: d("2025-02-01"),
            filingDate: d("2025-03-05"), period: period, shares: 1)
        expectRefusal("disabilityRatio", standards: [disability], facts)
        facts.disabilityRatioBasisPoints = 10_001
        expectRefusal("disabilityRatio", standards: [disability], facts)
    }

    @Test func sharesMustBeAtLeastOne() {
        expectRefusal("shares", deathFacts(incident: "2025-02-01", shares: 0))
    }

    @Test func standardMustMatchTheClaimType() {
        expectRefusal("standard", standards: [hospital], deathFacts(incident: "2025-02-01"))
        expectRefusal("standards", standards: [], deathFacts(incident: "2025-02-01"))
    }

    @Test func incompleteCatalogueDataIsReported() {
        let noRatio = ClaimStandard(
            id: "h", activityId: "a", claimType: .hospitalization, name: "住院医疗互助金",
            method: .medicalRatio)
        let facts = ClaimFacts.hospitalStay(
            admitted: d("2025-01-04"), discharged: d("2025-01-13"),
            settlementSheets: [sheet()], filingDate: d("2025-03-05"), period: period, shares: 1)
        expectRefusal("standard", standards: [noRatio], facts)
    }

    @Test func settlementSheetRoundTripsThroughJSONAsStrings() throws {
        var original = sheet()
        original.sheetNumber = "JS001"
        original.personalAccount = m("12.30")
        original.outOfArea = true
        let json = try JSONEncoder().encode(original)
        #expect(String(decoding: json, as: UTF8.self).contains("\"1728.59\""))
        #expect(try JSONDecoder().decode(SettlementSheet.self, from: json) == original)
    }
}

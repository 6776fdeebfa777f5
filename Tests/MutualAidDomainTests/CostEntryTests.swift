import Foundation
import MutualAidDomain
import Testing

/// Where the disability ratio comes from, and what the amount depends on.
@Suite struct CostEntryTests {
    /// A table that differs from the usual one, so a ratio from it cannot come from code.
    let grades = [
        DisabilityGrade(itemName: "九级伤残", grade: 9, ratioBasisPoints: 2_500),
        DisabilityGrade(itemName: "十级伤残", grade: 10, ratioBasisPoints: 1_000),
    ]

    @Test func aGradeGivesItsTableRatio() throws {
        #expect(try CostEntry.disabilityRatio(claim: ["disabilityGrade": .int(9)], grades: grades) == 2_500)
        #expect(try CostEntry.disabilityRatio(claim: [:], grades: grades) == nil)
        #expect(throws: RuleViolation.self) {
            try CostEntry.disabilityRatio(claim: ["disabilityGrade": .int(3)], grades: grades)
        }
        #expect(throws: RuleViolation.self) {
            try CostEntry.disabilityRatio(claim: ["disabilityGrade": .int(9)], grades: [])
        }
    }

    @Test func anExplicitRatioNeedsAReason() throws {
        do {
            _ = try CostEntry.disabilityRatio(claim: ["disabilityRatioBp": .int(4_000)], grades: grades)
            Issue.record("an explicit ratio without a reason was taken")
        } catch {
            #expect(error.field == "disabilityRatioReason")
            #expect(error.message.contains("说明理由"))
        }
        #expect(throws: RuleViolation.self) {
            try CostEntry.disabilityRatio(
                claim: ["disabilityRatioBp": .int(4_000), "disabilityRatioReason": .string("  ")], grades: grades)
        }
        // The grade's own figure, as earlier clients sent it, is not a deviation to explain.
        #expect(
            try CostEntry.disabilityRatio(
                claim: ["disabilityGrade": .int(9), "disabilityRatioBp": .int(2_500)], grades: grades) == 2_500)
        #expect(throws: RuleViolation.self) {
            try CostEntry.disabilityRatio(
                claim: ["disabilityGrade": .int(9), "disabilityRatioBp": .int(4_000)], grades: grades)
        }
        let unrated: FieldMap = ["disabilityRatioBp": .int(4_000), "disabilityRatioReason": .string("未定级")]
        #expect(try CostEntry.disabilityRatio(claim: unrated, grades: grades) == 4_000)
        var both = unrated
        both["disabilityGrade"] = .int(10)
        #expect(try CostEntry.disabilityRatio(claim: both, grades: grades) == 4_000)
        #expect(throws: RuleViolation.self) {
            try CostEntry.disabilityRatio(
                claim: ["disabilityRatioBp": .int(10_001), "disabilityRatioReason": .string("x")], grades: grades)
        }
    }

    @Test func theDisabilityStandardPaysTheGradesRatio() throws {
        let period = ProtectionPeriod(start: CalendarDate("2025-01-01")!, end: CalendarDate("2025-12-31")!)
        let claim: FieldMap = [
            "claimType": .string("accident-disability"), "incidentDate": .string("2025-03-01"),
            "disabilityGrade": .int(9),
        ]
        let enrolment: FieldMap = [
            "periodStart": .string("2025-01-01"), "periodEnd": .string("2025-12-31"), "shares": .int(2),
        ]
        let facts = try CalculationInputs.facts(
            claim: claim, enrolment: enrolment, sheets: [], grades: grades,
            filingDate: CalendarDate("2025-03-05")!)
        #expect(facts.period == period)
        let standard = ClaimStandard(
            id: "dis", activityId: "a", claimType: .accidentDisability, name: "伤残互助金",
            method: .disabilityRatio, amount: Money("10000")!)
        let table = try BenefitCalculator.calculate(standards: [standard], facts: facts)
        #expect(table.total == Money("5000.00")!)  // 10000 × 25% × 2
    }

    @Test func theDigestFollowsEveryInput() {
        let claim: FieldMap = [
            "claimType": .string("hospitalization"), "admitted": .string("2025-03-01"), "note": .string("a"),
        ]
        let sheet: FieldMap = ["inScope": .string("1728.59"), "pooled": .string("1015.73")]
        func digest(_ claim: FieldMap, _ sheets: [String: FieldMap], grades: [DisabilityGrade] = []) -> String {
            CostEntry.inputsDigest(
                claim: claim, enrolment: ["shares": .int(1)], sheets: sheets, standards: [:], grades: grades)
        }
        let base = digest(claim, ["s1": sheet])
        #expect(digest(claim, ["s1": sheet]) == base)
        var note = claim
        note["note"] = .string("b")  // not an input
        #expect(digest(note, ["s1": sheet]) == base)
        var changedSheet = sheet
        changedSheet["pooled"] = .string("1015.74")
        #expect(digest(claim, ["s1": changedSheet]) != base)
        #expect(digest(claim, [:]) != base)
        var admitted = claim
        admitted["admitted"] = .string("2025-03-02")
        #expect(digest(admitted, ["s1": sheet]) != base)
        var graded = claim
        graded["disabilityGrade"] = .int(9)
        #expect(
            digest(graded, ["s1": sheet], grades: grades)
                != digest(
                    graded, ["s1": sheet],
                    grades: [
                        DisabilityGrade(itemName: "九级伤残", grade: 9, ratioBasisPoints: 2_000)
                    ]))
    }

    @Test func stepsThatRelyOnTheAmountRecalculate() {
        #expect(CostEntry.recalculates(before: .submitCosts))
        #expect(CostEntry.recalculates(before: .push))
        #expect(CostEntry.recalculates(before: .review(decision: .pass, note: nil)))
        #expect(!CostEntry.recalculates(before: .review(decision: .back, note: "x")))
        #expect(!CostEntry.recalculates(before: .suspend(note: "x")))
        #expect(!CostEntry.recalculates(before: .resume))
    }
}

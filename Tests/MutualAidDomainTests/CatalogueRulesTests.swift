import MutualAidDomain
import Testing

/// What the office may put in the catalogue: each method carries what it reads.
struct CatalogueRulesTests {
    func standard(
        _ method: BenefitMethod, ratio: Int? = nil, amount: String? = nil, observation: Int = 0,
        consolation: String? = nil
    )
        -> ClaimStandard
    {
        ClaimStandard(
            id: "std-x", activityId: "act-x", claimType: .hospitalization, name: "住院医疗", method: method,
            ratioBasisPoints: ratio, amount: amount.flatMap(Money.init), observationDays: observation,
            consolation: consolation.flatMap(Money.init))
    }

    @Test func codesAreLowerCaseAsciiSlugs() {
        #expect(CatalogueRules.checkCode("std-2027-med", field: "id", what: "标准") == nil)
        for bad in ["S", "Std-1", "std 1", "-std", "标准", String(repeating: "a", count: 65)] {
            #expect(CatalogueRules.checkCode(bad, field: "id", what: "标准") != nil, "\(bad)")
        }
    }

    @Test func eachMethodNeedsItsOwnFigure() {
        #expect(CatalogueRules.check(standard: standard(.medicalRatio, ratio: 7000)) == nil)
        #expect(CatalogueRules.check(standard: standard(.medicalRatio))?.field == "ratio")
        #expect(CatalogueRules.check(standard: standard(.medicalRatio, ratio: 10_001))?.field == "ratio")
        #expect(CatalogueRules.check(standard: standard(.fixed, amount: "10000.00")) == nil)
        #expect(CatalogueRules.check(standard: standard(.fixed))?.field == "amount")
        #expect(CatalogueRules.check(standard: standard(.dailyAllowance, amount: "0.00"))?.field == "amount")
        #expect(
            CatalogueRules.check(standard: standard(.fixed, amount: "10.00", consolation: "5.00"))?.field
                == "consolation")
        #expect(
            CatalogueRules.check(standard: standard(.fixed, amount: "10.00", observation: 60, consolation: "5.00"))
                == nil)
    }

    @Test func activitiesAndChecklistLines() {
        let ok = ProtectionActivity(
            id: "act-x", name: "职工住院", subtype: "在职", fee: Money("30.00")!, minEnrolmentRatePercent: 60, standards: [])
        #expect(CatalogueRules.check(activity: ok) == nil)
        var free = ok
        free.fee = .zero
        #expect(CatalogueRules.check(activity: free)?.field == "fee")
        var twice = ok
        twice.standards = [standard(.fixed, amount: "1.00"), standard(.fixed, amount: "2.00")]
        #expect(CatalogueRules.check(activity: twice)?.field == "standards")
        #expect(CatalogueRules.checkMinRate(101) != nil && CatalogueRules.checkMinRate(0) == nil)
        #expect(
            CatalogueRules.check(
                material: MaterialRequirement(item: "invoice", name: "发票", required: true, maxCount: 5)) == nil)
        #expect(
            CatalogueRules.check(
                material: MaterialRequirement(item: "invoice", name: " ", required: true, maxCount: 5))?.field == "name"
        )
        #expect(
            CatalogueRules.check(
                material: MaterialRequirement(item: "invoice", name: "发票", required: true, maxCount: 21))?.field
                == "maxCount")
    }
}

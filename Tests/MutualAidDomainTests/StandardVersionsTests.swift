import MutualAidDomain
import Testing

/// The rule of a claim standard in force on a claim's day.
@Suite struct StandardVersionsTests {
    let base: FieldMap = ["method": .string("medical-ratio"), "ratioBp": .int(7000), "cap": .string("10000.00")]
    func version(_ from: String, ratio: Int64) -> FieldMap {
        [
            "standardId": .string("s"), "effectiveFrom": .string(from), "ratioBp": .int(ratio),
            "cap": .string("10000.00"),
        ]
    }

    @Test func theLatestVersionInForceOnTheDayApplies() {
        let versions = [version("2027-01-01", ratio: 7500), version("2027-07-01", ratio: 8000)]
        let on = { (day: String) in StandardVersions.resolve(base: self.base, versions: versions, on: CalendarDate(day))
        }
        #expect(on("2026-12-31")["ratioBp"] == .int(7000))
        #expect(on("2027-01-01")["ratioBp"] == .int(7500))
        #expect(on("2027-06-30")["ratioBp"] == .int(7500))
        #expect(on("2027-07-01")["ratioBp"] == .int(8000))
        #expect(on("2027-07-01")["method"] == .string("medical-ratio"))
        #expect(StandardVersions.resolve(base: base, versions: versions, on: nil)["ratioBp"] == .int(7000))
    }

    @Test func theRuleDateIsTheIncidentElseTheAdmission() {
        #expect(StandardVersions.ruleDate(claim: ["admitted": .string("2027-01-05")]) == CalendarDate("2027-01-05"))
        #expect(
            StandardVersions.ruleDate(claim: ["admitted": .string("2027-01-05"), "incidentDate": .string("2027-01-02")])
                == CalendarDate("2027-01-02"))
        #expect(StandardVersions.ruleDate(claim: [:]) == nil)
    }

    @Test func aVersionThatWouldReachAFiledCaseIsRefused() throws {
        let from = try #require(CalendarDate("2027-01-01"))
        let check = { (filed: [String], ratio: Int?, method: String) in
            StandardVersions.check(
                effectiveFrom: from, method: method, change: StandardRuleChange(ratioBasisPoints: ratio),
                filed: filed.compactMap(CalendarDate.init))
        }
        #expect(check(["2026-12-31"], 7500, "medical-ratio") == nil)
        #expect(check(["2027-01-01"], 7500, "medical-ratio")?.message.contains("2027-01-02 或之后") == true)
        #expect(check([], nil, "medical-ratio")?.field == "rule")
        #expect(check([], 0, "medical-ratio")?.field == "ratio")
        #expect(check([], 7500, "fixed")?.field == "ratio")
        let days = StandardRuleChange(waitingDays: 3651)
        #expect(
            StandardVersions.check(effectiveFrom: from, method: "fixed", change: days, filed: [])?.field
                == "waitingDays")
        let observation = StandardRuleChange(observationDays: 90, consolation: Money("500.00"))
        #expect(StandardVersions.check(effectiveFrom: from, method: "fixed", change: observation, filed: []) == nil)
        let version = StandardVersions.version(
            of: "std-x", current: ["ratioBp": .null, "amount": .string("10000.00"), "observationDays": .int(60)],
            effectiveFrom: from, change: observation, by: "郑洁")
        #expect(version["observationDays"] == .int(90) && version["consolation"] == .string("500.00"))
        #expect(version["amount"] == .string("10000.00") && version["waitingDays"] == .null)
    }
}

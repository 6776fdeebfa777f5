import Foundation
import TestSupport
import Testing

/// 活动管理: a ratio changed with an effective date. Claims admitted from that day on are
/// calculated with the new ratio, earlier ones keep the old, on the server and in the member's
/// offline estimate alike; a date that would reach a filed case is refused.
@Suite(.serialized) struct StandardVersionTests {
    @Test func aNewRatioAppliesFromItsEffectiveDateAndNeverToEarlierCases() throws {
        let o = try CaseWorkflowTests.Office()
        defer { o.server.stop() }
        let day = CaseWorkflowTests.day
        func file(admitted: Int, discharged: Int) throws -> (id: String, number: String) {
            try o.fileMemberClaim(admitted: admitted, discharged: discharged)
        }
        func calculate(_ number: String, admitted: Int, discharged: Int) throws -> [String: Any] {
            try o.settle(number, admitted: admitted, discharged: discharged)
            return try o.ok("sz-agent", ["case", "calc", number])
        }
        let before = try file(admitted: -20, discharged: -11)

        // A date on or before a filed case's admission is refused, naming the first day allowed.
        let edit = ["admin", "standard", "edit", "std-staff-med", "--ratio", "75"]
        let early = try o.cli("office2602", edit + ["--effective-from", day(-25)])
        #expect(early.status != 0 && early.stderr.contains("请把生效日期定在 \(day(-19)) 或之后"), "\(early.stderr)")
        #expect(try o.cli("sz-agent", edit + ["--effective-from", day(-15)]).stderr.contains("由办事处维护"))
        #expect(try o.cli("office2602", edit + ["--effective-from", "2026-02-30"]).stderr.contains("有效的日期"))
        let set = try o.ok("office2602", edit + ["--effective-from", day(-15)])
        #expect(set["effectiveFrom"] as? String == day(-15))

        let after = try file(admitted: -10, discharged: -3)
        // The member's offline estimate, from the synced catalogue, with the server's sheet figures.
        let estimate = ["--in-scope", "1728.59", "--pooled", "1015.73", "--deductible", "600.00", "--large", "0.00"]
        let oldEstimate = try o.ok("zhangwei", ["claim", "estimate", before.id] + estimate)
        let newEstimate = try o.ok("zhangwei", ["claim", "estimate", after.id] + estimate)
        #expect(oldEstimate["total"] as? String == "79.00")
        #expect(newEstimate["total"] as? String == "84.65")

        // The server agrees: 112.86 × 70% = 79.00 before, 112.86 × 75% = 84.65 from the date on.
        let oldCalc = try calculate(before.number, admitted: -20, discharged: -11)
        #expect(oldCalc["total"] as? String == "79.00")
        #expect(((oldCalc["lines"] as? [[String: Any]])?.first?["ratio"] as? String) == "70.00")
        let newCalc = try calculate(after.number, admitted: -10, discharged: -3)
        #expect(newCalc["total"] as? String == "84.65")
        #expect(((newCalc["lines"] as? [[String: Any]])?.first?["ratio"] as? String) == "75.00")
    }
}

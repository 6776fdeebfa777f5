import Foundation
import MutualAidDomain
import TestSupport
import Testing

/// Case actions queued offline with the real member-cli reach the server in one push and are
/// all kept: the case ends as the last action says, and the trail tells exactly that.
@Suite(.serialized) struct OfflineCaseBatchTests {
    @Test func acquireSuspendResumeQueuedOfflineEndResumed() throws {
        let o = try CaseWorkflowTests.Office()
        defer { o.server.stop() }
        let lina = CaseWorkflowTests.idNumber("61100219900718002")
        let day = CaseWorkflowTests.day
        let accepted = try o.ok(
            "sz-agent",
            [
                "case", "accept", "--id-number", lina, "--type", "hospitalization",
                "--standard", "std-staff-med", "--admitted", day(-9), "--discharged", day(-2),
                "--hospital", "商洛市中心医院", "--diagnosis", "肺炎",
            ])
        let number = try #require((accepted["cases"] as! [[String: Any]])[0]["caseNumber"] as? String)
        // Acquire (already held), cost entry and submit, all offline, then one sync.
        try o.ok("sz-agent", ["case", "acquire", number, "--offline"])
        try o.ok(
            "sz-agent",
            [
                "case", "settlement", number, "--hospital", "商洛市中心医院", "--admitted", day(-9),
                "--discharged", day(-2), "--in-scope", "1728.59", "--pooled", "1015.73", "--deductible", "600.00",
                "--offline",
            ])
        try o.ok("sz-agent", ["case", "submit", number, "--offline"])
        try o.ok("sz-agent", ["sync"])
        var shown = try o.ok("sz-agent", ["case", "show", number])
        #expect(shown["state"] as? String == "first-review")
        #expect(shown["amount"] as? String == "79.00")

        for round in 0..<3 {
            try o.ok("sz-agent", ["case", "acquire", number, "--offline"])
            try o.ok("sz-agent", ["case", "suspend", number, "--note", "等待医院回函", "--offline"])
            try o.ok("sz-agent", ["case", "resume", number, "--offline"])
            try o.ok("sz-agent", ["sync"])
            let status = try o.ok("sz-agent", ["status"])
            #expect((status["rejected"] as? [[String: Any]] ?? []).isEmpty, "round \(round): \(status)")
            shown = try o.ok("sz-agent", ["case", "show", number])
            #expect(shown["state"] as? String == "first-review", "round \(round)")
        }
        let trail = (shown["trail"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
        #expect(trail.filter { $0 == "悬挂" }.count == 3 && trail.filter { $0 == "取消悬挂" }.count == 3, "\(trail)")
    }
}

import Foundation
import TestSupport
import Testing

/// 申领查询 and the pool's Excel export through the real binaries: staff find a member's case
/// by ID number and state within their scope only, the terminal masks the ID number, and the
/// .xlsx keeps all 18 digits as text when opened by openpyxl.
@Suite(.serialized) struct ClaimsSearchTests {
    @Test func staffFindACaseInTheirScopeAndExportItWithWholeIdNumbers() throws {
        let o = try CaseWorkflowTests.Office(extraAgents: [("ln-agent", "sl-ln")])
        defer { o.server.stop() }
        let day = CaseWorkflowTests.day
        let id = try o.memberDraft()
        _ = try o.submitMemberClaim(id)
        let own = try #require((try o.ok("zhangwei", ["claims", "search"])["cases"] as? [[String: Any]])?.first)
        let idNumber = try #require(own["idNumber"] as? String)
        let number = try #require(own["caseNumber"] as? String)
        #expect(idNumber.count == 18)

        // The county finds it by ID number and by state; a wrong state or an early date range does not.
        let found = try o.ok("sz-agent", ["claims", "search", "--id-number", idNumber])["cases"] as? [[String: Any]]
        #expect(found?.count == 1)
        let row = try #require(found?.first)
        #expect(Set(row.keys).isSuperset(of: ["caseNumber", "state", "claimType", "amount", "idNumber", "name"]))
        #expect(row["caseNumber"] as? String == number && row["idNumber"] as? String == idNumber)
        #expect(row["state"] as? String == "first-review" && row["claimType"] as? String == "hospitalization")
        let byState = try o.ok(
            "sz-agent", ["claims", "search", "--state", "first-review", "--from", day(-1), "--to", day(0)])
        #expect((byState["cases"] as? [[String: Any]])?.count == 1)
        #expect((try o.ok("sz-agent", ["claims", "search", "--state", "closed"])["cases"] as? [Any])?.isEmpty == true)
        #expect((try o.ok("sz-agent", ["claims", "search", "--to", day(-2)])["cases"] as? [Any])?.isEmpty == true)
        // Another county sees nothing of it.
        #expect(
            (try o.ok("ln-agent", ["claims", "search", "--id-number", idNumber])["cases"] as? [Any])?.isEmpty == true)

        // The terminal masks the ID number; the files keep it whole, as text.
        let dir = Scratch.directory("exports")
        let searchFile = dir.appendingPathComponent("申领查询.xlsx").path
        let human = try o.cli("sz-agent", ["claims", "search", "--id-number", idNumber, "--xlsx", searchFile])
        #expect(human.status == 0, "\(human.stderr)")
        #expect(!human.stdout.contains(idNumber) && human.stdout.contains(number))
        let poolFile = dir.appendingPathComponent("初审工作池.xlsx").path
        try o.ok("sz-agent", ["pool", "--step", "first-review", "--xlsx", poolFile])
        let check = """
            import openpyxl, sys
            for path, column in ((sys.argv[1], 6), (sys.argv[2], 7)):
                sheet = openpyxl.load_workbook(path).active
                header = [c.value for c in sheet[1]]
                assert header[column - 1] == "身份证号码", header
                cell = sheet.cell(row=2, column=column)
                assert cell.data_type == "s" and cell.value == sys.argv[3], (path, cell.value, cell.data_type)
                assert sheet.cell(row=2, column=1).value == sys.argv[4]
                assert sheet.max_row == 2, sheet.max_row
            """
        try EnrolmentJourneyTests.python(check, [searchFile, poolFile, idNumber, number])
        // 参保查询 / 既往申领: the person's enrolments and claims, then the restricted-list flag.
        let record = try o.ok("sz-agent", ["insured", idNumber])
        #expect((record["enrolments"] as? [[String: Any]])?.isEmpty == false)
        #expect((record["claims"] as? [[String: Any]])?.map { $0["caseNumber"] as? String } == [number])
        #expect(record["restricted"] as? Bool == false)
        try o.ok("sz-agent", ["case", "restrict", number, "--note", "重复申领核查"])
        #expect(try o.ok("sz-agent", ["insured", idNumber])["restricted"] as? Bool == true)
        let shown = try o.cli("sz-agent", ["insured", idNumber])
        #expect(shown.stdout.contains("限制名单") && !shown.stdout.contains(idNumber), "\(shown.stdout)")
        #expect(try o.cli("ln-agent", ["insured", idNumber, "--offline"]).stdout.contains("本机无此人记录"))
        #expect(
            try o.cli("sz-agent", ["claims", "search", "--xlsx", dir.appendingPathComponent("a.csv").path]).status != 0)
        #expect(try o.cli("sz-agent", ["claims", "search", "--from", "2026-02-30"]).stderr.contains("不是有效的日期"))
    }
}

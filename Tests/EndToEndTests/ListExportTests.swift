import Foundation
import TestSupport
import Testing

/// Every list command takes `--xlsx FILE` besides `--json`: the files open in openpyxl with
/// their Chinese headers, and ID numbers, codes and case numbers stay whole text.
@Suite(.serialized) struct ListExportTests {
    @Test func everyListCommandWritesASpreadsheetThatKeepsItsDigits() throws {
        let o = try CaseWorkflowTests.Office()
        defer { o.server.stop() }
        let dir = Scratch.directory("exports")
        func export(_ login: String, _ name: String, _ command: [String]) throws -> String {
            let path = dir.appendingPathComponent("\(login)-\(name).xlsx").path
            let result = try o.cli(login, command + ["--xlsx", path])
            #expect(result.status == 0, "\(command): \(result.stderr)")
            return path
        }
        try o.ok(
            "zhangwei",
            [
                "claim", "new", "--type", "hospitalization", "--standard", "std-staff-med", "--admitted",
                CaseWorkflowTests.day(-20), "--discharged", CaseWorkflowTests.day(-11), "--hospital", "商洛市中心医院",
                "--diagnosis", "肺炎",
            ])
        try o.ok("office2602", ["admin", "org", "rename", "sl-ln", "--name", "洛南县总工会（新）"])
        let idNumber = try #require(
            (try o.ok("zhangwei", ["enrolments"])["enrolments"] as? [[String: Any]])?.first?["idNumber"] as? String)
        #expect(idNumber.count == 18)
        // (file, header of column 1, a column, the value it must hold in some row, as text or not)
        let files: [(String, String, Int, String, Bool)] = [
            (try export("zhangwei", "enrolments", ["enrolments"]), "保障活动", 5, idNumber, true),
            (try export("zhangwei", "claims", ["claim", "list"]), "案件号", 3, "疾病住院", false),
            (try export("zhangwei", "sessions", ["sessions", "list"]), "设备编号", 2, "是", false),
            (try export("zhangwei", "messages", ["messages", "list"]), "时间（北京时间）", 0, "", false),
            (try export("office2602", "orgs", ["admin", "org", "list"]), "机构名称", 3, "sl-ln", true),
            (try export("office2602", "audit", ["admin", "audit"]), "时间（北京时间）", 3, "机构更名", false),
            (try export("office2602", "catalogue", ["catalogue"]), "活动编号", 1, "act-staff-combo", true),
            (
                try export("office2602", "checklist", ["admin", "checklist", "list", "hospitalization"]), "材料编号", 1,
                "id-card", true
            ),
            (try export("office2602", "dashboard", ["dashboard"]), "排名", 0, "", false),
            (try export("sz-agent", "units", ["unit", "search"]), "单位编号", 3, "91611002MA6Y00001", true),
            (try export("sz-agent", "registrations", ["unit", "registrations", "--all"]), "单位名称", 0, "", false),
            (try export("unit001", "applications", ["enrolment", "list"]), "申请编号", 0, "", false),
        ]
        let check = """
            import openpyxl, sys, json
            for path, first, column, value, text in json.loads(sys.argv[1]):
                sheet = openpyxl.load_workbook(path).active
                header = [c.value for c in sheet[1]]
                assert header[0] == first, (path, header)
                if column == 0:
                    continue
                cells = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
                hits = [c for c in cells if isinstance(c.value, str) and value in c.value]
                assert hits, (path, value, [c.value for c in cells])
                if text:
                    assert all(c.data_type == "s" for c in hits), (path, [c.data_type for c in hits])
            """
        let spec = try JSONSerialization.data(withJSONObject: files.map { [$0.0, $0.1, $0.2, $0.3, $0.4] as [Any] })
        try EnrolmentJourneyTests.python(check, [String(decoding: spec, as: UTF8.self)])
        let bad = try o.cli(
            "office2602", ["admin", "org", "list", "--xlsx", dir.appendingPathComponent("orgs.csv").path])
        #expect(bad.status != 0 && bad.stderr.contains(".xlsx"), "\(bad.stderr)")
    }
}

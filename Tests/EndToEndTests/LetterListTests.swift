import Foundation
import MutualAidDomain
import TestSupport
import Testing

/// 确认书打印 through the real binaries: a confirmed application's letter is listed unprinted,
/// printed with its 《会员名单》 (read back by pdftotext, the letter number on every page), then
/// listed printed with its count, filtered by confirmation date and exported to .xlsx.
@Suite(.serialized) struct LetterListTests {
    @Test func aLetterIsListedUnprintedThenPrintedWithItsMemberList() throws {
        let cast = try EnrolmentJourneyTests.Cast(["unit001", "sz-agent", "sl-agent", "finance2602"])
        defer { cast.server.stop() }
        let lina = EnrolmentJourneyTests.idNumber("61100219900718002")
        let chen = EnrolmentJourneyTests.idNumber("61100219920214002")
        let files = Scratch.directory("letters")
        let list = files.appendingPathComponent("名单.csv")
        try Data("序号,姓名,身份证号码,手机号码\n1,李娜,\(lina),13809161002\n2,陈静,\(chen),13909162001\n".utf8).write(to: list)
        let id =
            try cast.ok(
                "unit001", ["enrolment", "new", "--activity", "act-accident", "--employees", "2", "--women", "2"])["id"]
            as! String
        #expect(
            try cast.ok("unit001", ["enrolment", "import", id, "--activity", "act-accident", list.path])["succeeded"]
                as? Int == 2)
        try cast.ok("unit001", ["enrolment", "submit", id])
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        try cast.ok("sz-agent", ["enrolment", "review", id, "--stage", "first", "--pass"])
        _ = try cast.devices["sl-agent"]!.cli(["sync"])
        try cast.ok("sl-agent", ["enrolment", "review", id, "--stage", "second", "--pass", "--note", "同意"])
        _ = try cast.devices["unit001"]!.cli(["sync"])
        try cast.ok("unit001", ["enrolment", "fees", id, "--activity", "act-accident", "--self-paid", "40"])
        try cast.ok(
            "unit001",
            [
                "enrolment", "invoice", id, "--activity", "act-accident", "--batch", "L1", "--source", "会员自付",
                "--title", "城建公司", "--tax-number", "91611002MA6Y000012", "--amount", "40",
            ])
        _ = try cast.devices["finance2602"]!.cli(["sync"])
        try cast.ok("finance2602", ["enrolment", "payment", id, "--confirm"])
        let number = try #require(try cast.application("unit001", id)["letterNumber"] as? String)

        func listed(_ login: String, _ filters: [String]) throws -> [[String: Any]] {
            try #require(try cast.ok(login, ["letter", "list"] + filters)["letters"] as? [[String: Any]])
                .filter { $0["letterNumber"] as? String == number }
        }
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
        let unprinted = try listed("unit001", ["--unprinted"])
        #expect(unprinted.count == 1 && unprinted.first?["printCount"] as? Int == 0)
        #expect(unprinted.first?["confirmed"] as? String == today.description)
        #expect(unprinted.first?["fee"] as? String == "40.00")
        #expect(try listed("unit001", ["--printed"]).isEmpty)

        // The letter with its list: names, whole ID numbers and the activity, on pages of their own.
        let pdf = files.appendingPathComponent("确认书.pdf").path
        let printed = try cast.devices["unit001"]!.cli(["letter", number, "--out", pdf])
        #expect(printed.status == 0, "\(printed.stderr)")
        let text = try run("/usr/bin/env", ["pdftotext", "-enc", "UTF-8", pdf, "-"])
        #expect(text.status == 0, "pdftotext (run scripts/setup for poppler-utils): \(text.stderr)")
        let compact = text.stdout.filter { !$0.isWhitespace }
        for expected in ["会员名单", "李娜", "陈静", lina, chen, "职工意外(含新就业)", "共2人"] {
            #expect(compact.contains(expected), "missing \(expected) in \(text.stdout)")
        }
        let pages = text.stdout.split(separator: "\u{0C}").filter { !$0.allSatisfy(\.isWhitespace) }
        #expect(pages.count >= 2)
        #expect(pages.allSatisfy { $0.contains(number) }, "a page without the letter number: \(text.stdout)")
        #expect(pages.last.map { $0.contains("会员名单") && !$0.contains("会费合计") } == true)

        // Now listed as printed, once; by confirmation date; for the county too.
        let done = try listed("unit001", ["--printed"])
        #expect(done.count == 1 && done.first?["printCount"] as? Int == 1 && done.first?["printed"] as? Bool == true)
        #expect(try listed("unit001", ["--unprinted"]).isEmpty)
        let day = today.description
        #expect(try listed("unit001", ["--from", day, "--to", day]).count == 1)
        #expect(try listed("unit001", ["--from", today.adding(days: 1).description]).isEmpty)
        #expect(try listed("unit001", ["--to", today.adding(days: -1).description]).isEmpty)
        #expect(try listed("sz-agent", ["--printed"]).count == 1)

        let xlsx = files.appendingPathComponent("确认书打印.xlsx").path
        let human = try cast.devices["unit001"]!.cli(["letter", "list", "--printed", "--xlsx", xlsx])
        #expect(human.status == 0 && human.stdout.contains(number) && human.stdout.contains("已打印（1 次）"))
        let check = """
            import openpyxl, sys
            sheet = openpyxl.load_workbook(sys.argv[1]).active
            rows = [[c.value for c in row] for row in sheet.iter_rows()]
            assert rows[0][0] == "确认书号" and rows[0][3] == "打印状态", rows[0]
            mine = [r for r in rows[1:] if r[0] == sys.argv[2]]
            assert len(mine) == 1 and mine[0][3] == "已打印" and str(mine[0][4]) == "1", mine
            assert sheet.cell(row=rows.index(mine[0]) + 1, column=1).data_type == "s"
            """
        try EnrolmentJourneyTests.python(check, [xlsx, number])
        #expect(try cast.refused("unit001", ["letter", "list", "--from", "2026-02-30"]).contains("不是有效的日期"))
    }
}

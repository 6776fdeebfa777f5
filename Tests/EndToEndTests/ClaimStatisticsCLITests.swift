import Foundation
import TestSupport
import Testing

/// 申领统计 through the real binaries: a claim accepted and calculated today shows in the
/// county's and the office's statistics by agency, claim type and month, in the CSV and the
/// .xlsx; members cannot run it.
@Suite(.serialized) struct ClaimStatisticsCLITests {
    @Test func staffSeeTheClaimsOfTheirScopeCountedAndSummed() throws {
        let o = try CaseWorkflowTests.Office()
        defer { o.server.stop() }
        let number = try o.fileMemberClaim().number
        try o.settle(number)
        #expect(try o.ok("sz-agent", ["case", "calc", number])["total"] as? String == "79.00")

        let report = try o.ok("sz-agent", ["stats", "claims", "--by", "agency"])
        let rows = try #require(report["rows"] as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows.first?["label"] as? String == "商州区总工会" && rows.first?["count"] as? Int == 1)
        #expect(rows.first?["amount"] as? String == "79.00" && rows.first?["previousCount"] as? Int == 0)
        #expect(rows.first?["countChange"] as? String == "—")

        let dir = Scratch.directory("stats")
        let csv = dir.appendingPathComponent("申领统计.csv")
        let xlsx = dir.appendingPathComponent("申领统计.xlsx")
        let human = try o.cli(
            "office2602", ["stats", "claims", "--by", "claim-type", "--csv", csv.path, "--xlsx", xlsx.path])
        #expect(human.status == 0, "\(human.stderr)")
        #expect(human.stdout.contains("疾病住院\t1\t0\t—\t79.00\t0.00\t—\t0.00"), "\(human.stdout)")
        let bytes = try Data(contentsOf: csv)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))  // the BOM Excel needs for the Chinese
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("申领类型,受理件数,上年同期件数,件数同比,申领金额（元）,上年同期金额（元）,金额同比,结案金额（元）\r\n"))
        #expect(text.contains("\r\n疾病住院,1,0,—,79.00,0.00,—,0.00\r\n"), "\(text)")
        #expect(text.hasSuffix("\r\n合计,1,0,—,79.00,0.00,—,0.00\r\n"))
        let check = """
            import openpyxl, sys
            sheet = openpyxl.load_workbook(sys.argv[1]).active
            rows = [[c.value for c in row] for row in sheet.iter_rows()]
            assert rows[0][:2] == ["申领类型", "受理件数"], rows[0]
            assert rows[1][0] == "疾病住院" and str(rows[1][1]) == "1" and str(rows[1][4]) in ("79", "79.0", "79.00"), rows[1]
            assert rows[-1][0] == "合计", rows[-1]
            assert len(rows) == 3, rows
            """
        try EnrolmentJourneyTests.python(check, [xlsx.path])

        // By month: every month of the year so far, this one holding the claim.
        let months = try #require(
            try o.ok("sz-agent", ["stats", "claims", "--by", "month"])["rows"] as? [[String: Any]])
        let today = Calendar.current.dateComponents(
            in: TimeZone(secondsFromGMT: 8 * 3600)!, from: Date())
        #expect(months.count == today.month)
        #expect(months.last?["label"] as? String == "\(today.month!)月" && months.last?["count"] as? Int == 1)
        // Last year had nothing; members have no statistics; a bad grouping is named.
        let lastYear = try o.ok("sz-agent", ["stats", "claims", "--year", String(today.year! - 1)])
        #expect((lastYear["rows"] as? [Any])?.isEmpty == true)
        let member = try o.cli("zhangwei", ["stats", "claims"])
        #expect(member.status != 0 && member.stderr.contains("申领统计须由"), "\(member.stderr)")
        let unwritten = dir.appendingPathComponent("x.csv").path
        let bad = try o.cli("sz-agent", ["stats", "claims", "--by", "unit", "--csv", unwritten])
        #expect(bad.status != 0 && !FileManager.default.fileExists(atPath: unwritten))
    }
}

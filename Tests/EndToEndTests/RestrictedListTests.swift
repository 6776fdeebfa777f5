import Foundation
import TestSupport
import Testing

/// 限制名单 through the real binaries: a person marked during review is on the county's list
/// (ID number masked on the terminal, whole in JSON and .xlsx) and flags their next claim; an
/// agent cannot take them off; the office does, with a note that is kept with who and when;
/// their claims lose the flag and the claim after that is not flagged.
@Suite(.serialized) struct RestrictedListTests {
    /// The restricted flag of each case as the county's replica shows it.
    static func flags(_ o: CaseWorkflowTests.Office) throws -> [String: Bool] {
        let cases = try #require(try o.ok("sz-agent", ["claims", "search"])["cases"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: cases.map { ($0["caseNumber"] as! String, $0["restricted"] as! Bool) })
    }

    @Test func theOfficeTakesAPersonOffTheListWithANoteAndLaterClaimsAreNotFlagged() throws {
        let o = try CaseWorkflowTests.Office()
        defer { o.server.stop() }
        let first = try o.fileMemberClaim(admitted: -20, discharged: -11).number
        let idNumber = try #require(
            (try o.ok("zhangwei", ["claims", "search"])["cases"] as? [[String: Any]])?.first?["idNumber"] as? String)
        #expect(try o.ok("sz-agent", ["restricted", "list"])["persons"] as? [Any] != nil)
        #expect((try o.ok("sz-agent", ["restricted", "list"])["persons"] as? [Any])?.isEmpty == true)
        try o.ok("sz-agent", ["case", "restrict", first, "--note", "重复申领核查"])

        // On the list, with the mark's note and cases; the terminal masks the number, the file keeps it.
        let listed = try #require(try o.ok("sz-agent", ["restricted", "list"])["persons"] as? [[String: Any]])
        #expect(listed.count == 1)
        #expect(listed.first?["idNumber"] as? String == idNumber && listed.first?["name"] as? String == "张伟")
        #expect(listed.first?["note"] as? String == "重复申领核查" && listed.first?["markedBy"] as? String == "sz-agent")
        #expect(listed.first?["cases"] as? [String] == [first])
        let xlsx = Scratch.directory("restricted").appendingPathComponent("限制名单.xlsx").path
        let human = try o.cli("sz-agent", ["restricted", "list", "--xlsx", xlsx])
        #expect(human.status == 0 && human.stdout.contains("张伟") && !human.stdout.contains(idNumber), "\(human.stdout)")
        let check = """
            import openpyxl, sys
            sheet = openpyxl.load_workbook(sys.argv[1]).active
            assert sheet.cell(row=1, column=2).value == "身份证号码"
            cell = sheet.cell(row=2, column=2)
            assert cell.data_type == "s" and cell.value == sys.argv[2], (cell.value, cell.data_type)
            assert sheet.max_row == 2, sheet.max_row
            """
        try EnrolmentJourneyTests.python(check, [xlsx, idNumber])
        #expect(try o.cli("zhangwei", ["restricted", "list"]).stderr.contains("限制名单只有代办机构和办事处可以查看"))

        // While marked, the next claim is flagged at acceptance.
        let second = try o.fileMemberClaim(admitted: -40, discharged: -35).number
        #expect(try Self.flags(o) == [first: true, second: true])

        // An agent cannot lift it; bad input is named and changes nothing.
        let byAgent = try o.cli("sz-agent", ["restricted", "unmark", idNumber, "--note", "核实无误"])
        #expect(byAgent.status != 0 && byAgent.stderr.contains("只有办事处可以解除限制名单"), "\(byAgent.stderr)")
        let noNote = try o.cli("office2602", ["restricted", "unmark", idNumber, "--note", "  "])
        #expect(noNote.status != 0 && noNote.stderr.contains("说明解除限制的原因"), "\(noNote.stderr)")
        let badId = try o.cli("office2602", ["restricted", "unmark", "610102199001011234", "--note", "核实无误"])
        #expect(badId.status != 0 && badId.stderr.contains("身份证号码格式不正确"), "\(badId.stderr)")
        let lina = CaseWorkflowTests.idNumber("61100219900718002")
        let notListed = try o.cli("office2602", ["restricted", "unmark", lina, "--note", "核实无误"])
        #expect(notListed.status != 0 && notListed.stderr.contains("不在限制名单上"), "\(notListed.stderr)")
        #expect((try o.ok("office2602", ["restricted", "list"])["persons"] as? [Any])?.count == 1)
        #expect((try o.ok("office2602", ["restricted", "list", "--lifted"])["persons"] as? [Any])?.isEmpty == true)

        // The office lifts it: recorded with who, when and why; the flags go.
        let lifted = try o.ok("office2602", ["restricted", "unmark", idNumber.lowercased(), "--note", "经核实无重复申领"])
        #expect(lifted["liftedBy"] as? String == "office2602" && lifted["liftNote"] as? String == "经核实无重复申领")
        #expect((try o.ok("office2602", ["restricted", "list"])["persons"] as? [Any])?.isEmpty == true)
        let history = try #require(
            try o.ok("office2602", ["restricted", "list", "--lifted"])["persons"] as? [[String: Any]])
        #expect(history.count == 1 && history.first?["idNumber"] as? String == idNumber)
        #expect(history.first?["liftedBy"] as? String == "office2602" && history.first?["liftedAt"] is String)
        #expect(history.first?["note"] as? String == "重复申领核查" && history.first?["liftNote"] as? String == "经核实无重复申领")
        #expect(try o.ok("sz-agent", ["insured", idNumber])["restricted"] as? Bool == false)
        #expect(try Self.flags(o) == [first: false, second: false])
        let trail = try o.ok("sz-agent", ["case", "show", first])
        #expect("\(trail)".contains("解除限制名单"), "\(trail)")

        // The claim after that is not flagged; lifting twice is refused.
        let third = try o.fileMemberClaim(admitted: -60, discharged: -55).number
        #expect(try Self.flags(o) == [first: false, second: false, third: false])
        #expect(
            try o.cli("office2602", ["restricted", "unmark", idNumber, "--note", "再次"]).stderr.contains("不在限制名单上"))
    }
}

import Foundation
import TestSupport
import Testing

/// 打印管理: the 申领审批表 of a calculated case, printed by the real member-cli from its replica
/// (offline), read back by pdftotext — a PDF text extractor written outside this project.
@Suite(.serialized) struct CaseFormTests {
    @Test func theFormHoldsTheCaseNumberAndTheTotalInFiguresAndInCapitals() throws {
        let o = try CaseWorkflowTests.Office()
        defer { o.server.stop() }
        let id = try o.memberDraft()
        // A draft has no case number yet: nothing to print, and no file is written.
        let early = Scratch.directory("forms").appendingPathComponent("草稿.pdf")
        let refused = try o.cli("zhangwei", ["case", "print", id, "--out", early.path])
        #expect(refused.status != 0 && refused.stderr.contains("尚未受理"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: early.path))

        let number = try o.submitMemberClaim(id)
        try o.settle(number)
        try o.ok("sz-agent", ["case", "calc", number])
        try o.ok("sz-agent", ["case", "review", number, "--decision", "pass", "--note", "材料齐全"])

        // Printed from the replica with the server stopped.
        o.server.stop()
        let form = Scratch.directory("forms").appendingPathComponent("申领审批表.pdf")
        let printed = try o.cli("sz-agent", ["case", "print", number, "--out", form.path])
        #expect(printed.status == 0, "\(printed.stderr)")
        let text = try run("/usr/bin/pdftotext", ["-enc", "UTF-8", form.path, "-"])
        #expect(text.status == 0, "pdftotext (run scripts/setup for poppler-utils): \(text.stderr)")
        let compact = text.stdout.filter { !$0.isWhitespace }
        for expected in [
            "职工互助保障申领审批表", number, "互助金合计（小写）：79.00元", "互助金合计（大写）：人民币柒拾玖元整", "112.86",
            "70.00", "商洛市中心医院", "申领初审", "材料齐全", "6222020200112233445",
        ] {
            #expect(compact.contains(expected.filter { !$0.isWhitespace }), "missing \(expected) in \(text.stdout)")
        }
    }
}

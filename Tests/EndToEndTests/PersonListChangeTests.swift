import Foundation
import MutualAidDomain
import TestSupport
import Testing

/// A person list corrected before submission (人员清单详情/修改) and changed after confirmation
/// (增减员), every step by the real member-cli of each role against the real sync-server.
@Suite(.serialized) struct PersonListChangeTests {
    typealias Journey = EnrolmentJourneyTests
    static let invoice = [
        "--batch", "C1", "--source", "工会经费", "--title", "商州区测试单位工会", "--tax-number", "91611002MA6Y000012",
    ]

    /// Reviews, invoices and confirms the payment of a submitted application (or change).
    static func approve(_ cast: Journey.Cast, _ id: String, amount: String) throws {
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        try cast.ok("sz-agent", ["enrolment", "review", id, "--stage", "first", "--pass", "--note", "名单齐全"])
        _ = try cast.devices["sl-agent"]!.cli(["sync"])
        try cast.ok("sl-agent", ["enrolment", "review", id, "--stage", "second", "--pass", "--note", "同意"])
        _ = try cast.devices["unit001"]!.cli(["sync"])
        try cast.ok("unit001", ["enrolment", "fees", id, "--activity", "act-accident", "--union", amount])
        try cast.ok(
            "unit001", ["enrolment", "invoice", id, "--activity", "act-accident", "--amount", amount] + invoice)
        #expect(try cast.application("unit001", id)["state"] as? String == "payment-check")
        _ = try cast.devices["finance2602"]!.cli(["sync"])
        try cast.ok("finance2602", ["enrolment", "payment", id, "--confirm"])
    }

    static func persons(_ cast: Journey.Cast, _ id: String) throws -> [[String: Any]] {
        try cast.ok("unit001", ["enrolment", "persons", id])["persons"] as! [[String: Any]]
    }

    @Test func aRowCorrectedAfterImportAndAPersonAddedAfterConfirmationWithTheFeeDifference() throws {
        let cast = try Journey.Cast(["unit001", "sz-agent", "sl-agent", "finance2602"])
        defer { cast.server.stop() }
        let files = Scratch.directory("person-list")
        let wang = Journey.idNumber("61100219850303011")
        let sun = Journey.idNumber("61100219860404022")
        let qian = Journey.idNumber("61100219870505033")
        let zhou = Journey.idNumber("61100219880606044")
        var wrongCheck = Journey.idNumber("61100219890707055")
        wrongCheck = String(wrongCheck.dropLast()) + (wrongCheck.last == "1" ? "2" : "1")

        // 1. A list with a mistyped name and mobile (accepted: both look valid) and a bad row.
        let list = files.appendingPathComponent("名单.csv")
        try Data(
            """
            序号,姓名,身份证号码,手机号码
            1,王墙,\(wang),13900000009
            2,孙丽,\(sun),13900000002
            3,钱多,\(qian),13900000003
            4,周舟,\(zhou),1390000000
            """.utf8
        ).write(to: list)
        let id =
            try cast.ok(
                "unit001", ["enrolment", "new", "--activity", "act-accident", "--employees", "5", "--women", "2"])[
                "id"] as! String
        let imported = try cast.ok("unit001", ["enrolment", "import", id, "--activity", "act-accident", list.path])
        #expect(imported["succeeded"] as? Int == 3 && (imported["failed"] as? [Any])?.count == 1)

        // 2. The list: whole ID numbers in json and xlsx, masked on screen.
        #expect(try Self.persons(cast, id).map { $0["name"] as? String } == ["王墙", "孙丽", "钱多"])
        #expect(try Self.persons(cast, id).map { $0["idNumber"] as? String } == [wang, sun, qian])
        let screen = try cast.devices["unit001"]!.cli(["enrolment", "persons", id])
        #expect(screen.status == 0 && screen.stdout.contains(ResidentID.masked(wang)) && !screen.stdout.contains(wang))
        let xlsx = files.appendingPathComponent("清单.xlsx").path
        try cast.ok("unit001", ["enrolment", "persons", id, "--xlsx", xlsx])
        try Journey.python(
            """
            import sys, openpyxl
            rows = [[c.value for c in r] for r in openpyxl.load_workbook(sys.argv[1]).active.iter_rows()]
            assert len(rows) == 4 and rows[1][3] == sys.argv[2], rows
            """, [xlsx, wang])

        // 3. Refused corrections change nothing: a wrong check digit, a duplicate, nothing to change.
        #expect(
            try cast.refused(
                "unit001", ["enrolment", "person-edit", id, "--id-number", wang, "--new-id-number", wrongCheck]
            )
            .contains("校验位不正确"))
        #expect(
            try cast.refused("unit001", ["enrolment", "person-edit", id, "--id-number", wang, "--new-id-number", sun])
                .contains("已在本次参保名单中"))
        #expect(
            try cast.refused(
                "unit001", ["enrolment", "person-edit", id, "--id-number", wang, "--name", "王强", "--mobile", "1390000"]
            ).contains("手机号码"))
        #expect(try Self.persons(cast, id).map { $0["name"] as? String } == ["王墙", "孙丽", "钱多"])
        #expect(
            try Self.persons(cast, id).map { $0["mobile"] as? String } == ["13900000009", "13900000002", "13900000003"])

        // 4. The row corrected, one person removed: counts and fees follow.
        let corrected =
            try cast.ok(
                "unit001",
                ["enrolment", "person-edit", id, "--id-number", wang, "--name", "王强", "--mobile", "13900000001"])[
                "persons"] as! [[String: Any]]
        #expect(corrected.map { $0["name"] as? String } == ["王强"])
        #expect(
            try cast.ok("unit001", ["enrolment", "person-remove", id, "--id-number", qian])["removed"] as? Int == 1)
        #expect(
            try cast.refused("unit001", ["enrolment", "person-remove", id, "--id-number", qian]).contains("没有身份证号码"))
        let draft = try cast.ok("unit001", ["enrolment", "show", id])
        #expect(draft["feeTotal"] as? String == "40.00")
        #expect((draft["lines"] as? [[String: Any]])?.first?["listed"] as? Int == 2)

        // 5. Submitted: the server counts the corrected list; after submission it is closed.
        try cast.ok("unit001", ["enrolment", "submit", id])
        let submitted = try cast.application("unit001", id)
        #expect(submitted["state"] as? String == "first-review" && submitted["feeTotal"] as? String == "40.00")
        #expect(
            try cast.refused("unit001", ["enrolment", "person-edit", id, "--id-number", sun, "--name", "孙莉"])
                .contains("不能再修改"))
        try Self.approve(cast, id, amount: "40")
        let confirmed = try cast.application("unit001", id)
        #expect(confirmed["state"] as? String == "confirmed")
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        let insured = try cast.ok("sz-agent", ["insured", wang])
        #expect(insured["name"] as? String == "王强")
        #expect((insured["enrolments"] as? [[String: Any]])?.count == 1)
        #expect((try cast.ok("sz-agent", ["insured", qian])["enrolments"] as? [Any])?.isEmpty == true)

        // 6. 增减员: a change adding 周舟, whose fee difference is one person's fee; a person
        //    already insured cannot be added again, and nothing is kept of the refused change.
        let before = try cast.ok("unit001", ["enrolment", "list"])["enrolments"] as! [Any]
        #expect(
            try cast.refused("unit001", ["enrolment", "change", id, "--add-person", "孙丽,\(sun),13900000002"])
                .contains("已参加此保障活动"))
        #expect((try cast.ok("unit001", ["enrolment", "list"])["enrolments"] as! [Any]).count == before.count)
        let addition = files.appendingPathComponent("增员.csv")
        try Data("序号,姓名,身份证号码,手机号码\n1,周舟,\(zhou),13900000004\n".utf8).write(to: addition)
        let created = try cast.ok("unit001", ["enrolment", "change", id, "--add", addition.path])
        let change = created["id"] as! String
        let draftChange = created["change"] as! [String: Any]
        #expect(draftChange["originalId"] as? String == id && draftChange["feeTotal"] as? String == "20.00")
        try cast.ok("unit001", ["enrolment", "submit", change])
        let submittedChange = try cast.application("unit001", change)
        #expect(submittedChange["state"] as? String == "first-review")
        let changeFees = (submittedChange["fees"] as? [[String: Any]])?.first
        #expect(changeFees?["total"] as? String == "20.00" && changeFees?["remaining"] as? String == "20.00")
        // Invoicing is of the difference: no more than 20.00 can be invoiced.
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        try cast.ok("sz-agent", ["enrolment", "review", change, "--stage", "first", "--pass", "--note", "增员"])
        _ = try cast.devices["sl-agent"]!.cli(["sync"])
        try cast.ok("sl-agent", ["enrolment", "review", change, "--stage", "second", "--pass", "--note", "同意"])
        _ = try cast.devices["unit001"]!.cli(["sync"])
        try cast.ok("unit001", ["enrolment", "fees", change, "--activity", "act-accident", "--union", "20"])
        #expect(
            try cast.refused(
                "unit001",
                ["enrolment", "invoice", change, "--activity", "act-accident", "--amount", "40"] + Self.invoice
            ).contains("超过剩余开票金额 20.00 元"))
        try cast.ok(
            "unit001", ["enrolment", "invoice", change, "--activity", "act-accident", "--amount", "20"] + Self.invoice)
        _ = try cast.devices["finance2602"]!.cli(["sync"])
        try cast.ok("finance2602", ["enrolment", "payment", change, "--confirm"])
        #expect(try cast.application("unit001", change)["state"] as? String == "confirmed")

        // 7. 周舟 is insured to the end of the original period.
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        let added = try #require((try cast.ok("sz-agent", ["insured", zhou])["enrolments"] as? [[String: Any]])?.first)
        #expect(
            added["insuredName"] as? String == "周舟"
                && added["periodEnd"] as? String == confirmed["periodEnd"] as? String)

        // 8. A change removing 孙丽: nothing to pay, still reviewed and confirmed; her cover ends.
        let removal = try cast.ok("unit001", ["enrolment", "change", id, "--remove", sun])
        let removalId = removal["id"] as! String
        #expect((removal["change"] as? [String: Any])?["feeTotal"] as? String == "0.00")
        try cast.ok("unit001", ["enrolment", "submit", removalId])
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        try cast.ok("sz-agent", ["enrolment", "review", removalId, "--stage", "first", "--pass", "--note", "减员"])
        _ = try cast.devices["sl-agent"]!.cli(["sync"])
        try cast.ok("sl-agent", ["enrolment", "review", removalId, "--stage", "second", "--pass", "--note", "同意"])
        _ = try cast.devices["unit001"]!.cli(["sync"])
        try cast.ok("unit001", ["enrolment", "fees", removalId, "--activity", "act-accident"])
        #expect(try cast.application("unit001", removalId)["state"] as? String == "payment-check")
        _ = try cast.devices["finance2602"]!.cli(["sync"])
        try cast.ok("finance2602", ["enrolment", "payment", removalId, "--confirm"])
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone).description
        let ended = (try cast.ok("sz-agent", ["insured", sun])["enrolments"] as? [[String: Any]])?.first
        #expect(ended?["periodEnd"] as? String == today)
        #expect(
            try cast.refused("unit001", ["enrolment", "change", id, "--remove", qian]).contains("没有身份证号码"))

        // 9. The original letter lists both changes, and its total includes the difference paid.
        let number = try #require(confirmed["letterNumber"] as? String)
        _ = try cast.devices["unit001"]!.cli(["sync"])
        let pdf = files.appendingPathComponent("确认书.pdf").path
        try cast.ok("unit001", ["letter", number, "--out", pdf])
        let text = try run("/usr/bin/env", ["pdftotext", "-layout", pdf, "-"])
        #expect(text.status == 0, "pdftotext (run scripts/setup): \(text.stderr)")
        for expected in ["人员变更", "周舟", ResidentID.masked(zhou), "孙丽", ResidentID.masked(sun), "会费合计：60.00 元"] {
            #expect(text.stdout.contains(expected), "letter text lacks \(expected)")
        }
        // Its 《会员名单》 is the current list: 周舟 in it with the whole ID number, 孙丽 no more.
        #expect(text.stdout.contains(zhou) && text.stdout.contains(wang) && !text.stdout.contains(sun))
    }
}

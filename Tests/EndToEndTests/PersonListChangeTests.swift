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
    }
}

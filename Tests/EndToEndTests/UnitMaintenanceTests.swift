import Foundation
import TestSupport
import Testing

/// Agents maintain units (信息维护): search, edit, contacts, merge — through member-cli.
@Suite(.serialized) struct UnitMaintenanceTests {
    @Test func agentsSearchEditAddContactsAndMergeUnits() throws {
        let cast = try EnrolmentJourneyTests.Cast(["sz-agent", "sl-agent", "unit001"])
        defer { cast.server.stop() }
        let found = try cast.ok("sz-agent", ["unit", "search", "城建"])["units"] as! [[String: Any]]
        #expect(found.map { $0["id"] as? String } == ["unit-001"])
        let before = try cast.ok("sz-agent", ["unit", "show", "unit-001"])
        #expect((before["contacts"] as! [[String: Any]]).map { $0["name"] as? String } == ["赵敏"])

        // A bad code changes nothing; a clerk may not edit unit data.
        #expect(
            try cast.refused("sz-agent", ["unit", "edit", "unit-001", "--code", "91611002MA6Y000019"]).contains(
                "统一社会信用代码"))
        #expect(try cast.ok("sz-agent", ["unit", "show", "unit-001"])["code"] as? String == before["code"] as? String)
        #expect(try cast.refused("unit001", ["unit", "edit", "unit-001", "--address", "别处"]).contains("代办机构"))

        try cast.ok("sz-agent", ["unit", "edit", "unit-001", "--address", "商州区新址 9 号"])
        _ = try cast.devices["unit001"]!.cli(["sync"])
        #expect(try cast.ok("unit001", ["unit", "show", "unit-001"])["address"] as? String == "商州区新址 9 号")

        let added = try cast.ok(
            "sz-agent",
            [
                "unit", "contact-add", "unit-001", "--name", "钱七", "--office-phone", "0914-2311111",
                "--mobile", "13800000007", "--email", "qian@example.com",
            ])
        let contacts = (added["detail"] as! [String: Any])["contacts"] as! [[String: Any]]
        let qian = try #require(contacts.first { $0["name"] as? String == "钱七" })
        #expect(
            try cast.refused(
                "sz-agent",
                [
                    "unit", "contact-add", "unit-001", "--name", "孙八", "--office-phone", "2311111",
                    "--mobile", "13800000008", "--email", "sun@example.com",
                ]
            ).contains("区号"))
        try cast.ok("sz-agent", ["unit", "contact-invalidate", qian["id"] as! String])
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        let after = try cast.ok("sz-agent", ["unit", "show", "unit-001"])["contacts"] as! [[String: Any]]
        #expect(after.count == 2 && after.first { $0["name"] as? String == "钱七" }?["valid"] as? Bool == false)

        // Merge: the county agent does not hold the other county's unit; the city agent does.
        #expect(
            try cast.refused("sz-agent", ["unit", "merge", "--into", "unit-001", "--from", "unit-002"]).contains("管辖范围")
        )
        _ = try cast.devices["sl-agent"]!.cli(["sync"])
        try cast.ok("sl-agent", ["unit", "merge", "--into", "unit-001", "--from", "unit-002"])
        _ = try cast.devices["sl-agent"]!.cli(["sync"])
        let merged = try cast.ok("sl-agent", ["unit", "show", "unit-002"])
        #expect(merged["state"] as? String == "merged" && merged["mergedInto"] as? String == "unit-001")
        // 王芳 was a member of unit-002: her enrolment now reaches unit-001's clerk.
        _ = try cast.devices["unit001"]!.cli(["sync"])
        let enrolments =
            try cast.devices["unit001"]!.cli(["enrolments", "--json"]).json()["enrolments"] as! [[String: Any]]
        #expect(enrolments.contains { $0["insuredName"] as? String == "王芳" })
        #expect(
            try cast.refused("sl-agent", ["unit", "merge", "--into", "unit-001", "--from", "unit-002"]).contains("已合并"))
    }

    @Test func anAgentRegistersAUnitDirectly() throws {
        let cast = try EnrolmentJourneyTests.Cast(["sz-agent"])
        defer { cast.server.stop() }
        let files = Scratch.directory("agent-unit")
        let code = EnrolmentJourneyTests.uscc("12611002MB0000770")
        let form = [
            "register", "new", "--office", "2602", "--agency", "sl-sz", "--name", "商州区第二小学", "--nature", "事业单位",
            "--cert-type", "事业单位法人证书", "--code", code, "--union-name", "商州区第二小学工会",
            "--union-code", EnrolmentJourneyTests.uscc("81611002MC0000770"), "--region", "陕西省-商洛市-商州区",
            "--address", "商州区学府路 2 号", "--contact-name", "何静", "--office-phone", "0914-2300770", "--mobile",
            "13900000770",
            "--email", "hejing@example.com", "--classified",
            "--licence", try EnrolmentJourneyTests.jpeg(files, "a.jpg"), "--union-certificate",
            try EnrolmentJourneyTests.jpeg(files, "b.jpg"),
        ]
        // An agent's registration is approved at once: no review of its own work.
        let byAgent = try cast.ok("sz-agent", form)["registrations"] as! [[String: Any]]
        #expect(byAgent[0]["state"] as? String == "approved" && byAgent[0]["login"] as? String == code)
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        let found = try cast.ok("sz-agent", ["unit", "search", code])["units"] as! [[String: Any]]
        #expect(found.map { $0["code"] as? String } == [code] && found.first?["login"] as? String == code)
        let sms =
            try run(Binaries.syncServer, ["sms", "list"] + (try cast.server.storeArguments) + ["--json"]).json()[
                "messages"]
            as! [[String: Any]]
        #expect(sms.map { $0["mobile"] as? String } == ["13900000770"])
        // The same unit again is refused: one active unit per code.
        let again = try cast.ok("sz-agent", form)["registrations"] as! [[String: Any]]
        #expect(
            again.last?["state"] as? String == "rejected" && (again.last?["note"] as? String)?.contains("已注册") == true)
    }
}

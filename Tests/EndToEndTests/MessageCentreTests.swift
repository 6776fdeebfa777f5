import Foundation
import MutualAidDomain
import TestSupport
import Testing

/// The message centre through the real binaries over TLS: the server writes each message with
/// the change it reports, the recipient reads it offline, marks it read on one device and sees
/// it read on another; nobody else receives it.
@Suite(.serialized) struct MessageCentreTests {
    static func messages(_ device: Device, _ arguments: [String] = []) throws -> ProcessResult {
        try device.cli(["messages"] + arguments)
    }

    static func list(_ device: Device) throws -> (unread: Int, messages: [[String: Any]]) {
        let result = try messages(device, ["--json"])
        guard result.status == 0 else { throw SupportError("messages: \(result.stderr)") }
        let json = try result.json()
        return (json["unread"] as! Int, json["messages"] as! [[String: Any]])
    }

    @Test func aMemberIsToldOfTheSupplementAndThePaymentAndReadsOnAnyDevice() throws {
        let o = try CaseWorkflowTests.Office()
        defer { o.server.stop() }
        let phone = o.devices["zhangwei"]!
        let day = CaseWorkflowTests.day
        let (id, number) = try o.fileMemberClaim()

        // 补材: the member's next sync brings a message naming the item and the reviewer's note.
        try o.ok("sz-agent", ["case", "acquire", number])
        try o.ok(
            "sz-agent",
            [
                "case", "settlement", number, "--hospital", "商洛市中心医院", "--admitted", day(-20), "--discharged",
                day(-11), "--in-scope", "1728.59", "--pooled", "1015.73", "--deductible", "600.00", "--large", "0.00",
            ])
        try o.ok("sz-agent", ["case", "calc", number])
        try o.ok(
            "sz-agent", ["case", "supplement", number, "--item", "discharge-summary", "--note", "出院小结不清晰，请重新拍摄"])
        try o.ok("zhangwei", ["sync"])
        var inbox = try Self.list(phone)
        let requested = try #require(inbox.messages.first { $0["kind"] as? String == "material_requested" })
        #expect(requested["caseNumber"] as? String == number && requested["read"] as? Bool == false)
        #expect((requested["text"] as? String)?.contains("出院小结（出院记录）") == true)
        #expect((requested["text"] as? String)?.contains("出院小结不清晰，请重新拍摄") == true)
        #expect(
            inbox.messages.contains {
                $0["kind"] as? String == "claim_accepted" && $0["caseNumber"] as? String == number
            })
        #expect(
            Set(inbox.messages.first.map { Array($0.keys) } ?? []) == [
                "id", "kind", "text", "at", "read", "caseNumber",
            ])

        // The member supplements; the case goes through review, archive and push to payment.
        let files = try ClaimJourneyTests.makeFiles(in: Scratch.directory("more"))
        try o.ok("zhangwei", ["claim", "attach", id, "--item", "discharge-summary", files.png])
        try o.ok("zhangwei", ["claim", "submit", id])
        try o.ok("zhangwei", ["sync"])
        for (login, step) in [
            ("sz-agent", ["case", "review", number, "--decision", "pass", "--note", "材料齐全"]),
            ("sl-agent", ["case", "review", number, "--decision", "pass", "--note", "同意"]),
            ("sz-agent", ["case", "archive", number, "--number", "GD-2026-0101"]),
        ] {
            try o.ok(login, ["case", "acquire", number])
            try o.ok(login, step)
        }
        try o.ok("sl-agent", ["case", "push", number])
        try o.ok("finance2602", ["case", "pay", number, "--reference", "PAY-0101"])
        try o.ok("zhangwei", ["sync"])
        inbox = try Self.list(phone)
        let paid = try #require(inbox.messages.first)  // newest first
        #expect(paid["kind"] as? String == "claim_paid" && paid["caseNumber"] as? String == number)
        for part in ["79.00", "PAY-0101", number] {
            #expect((paid["text"] as? String)?.contains(part) == true, "\(part)")
        }
        #expect(inbox.messages.filter { $0["kind"] as? String == "review_concluded" }.count == 2)
        let paidId = paid["id"] as! String
        let unread = inbox.unread
        #expect(unread == inbox.messages.count)
        #expect(try phone.cli(["status"]).stdout.contains("未读消息 \(unread) 条"))

        // Offline: the messages are there, in China time, and marking one read works locally.
        o.server.stop()
        let human = try Self.messages(phone)
        #expect(human.status == 0 && human.stdout.contains("北京时间") && human.stdout.contains("支付结案"))
        #expect(human.stdout.contains("● 未读") && human.stdout.contains(paidId))
        let unknown = try Self.messages(phone, ["read", paidId, "no-such-message"])
        #expect(unknown.status != 0 && unknown.stderr.contains("没有编号为 no-such-message 的消息"))
        #expect(try Self.list(phone).unread == unread)  // nothing changed, not even the known one
        #expect(try Self.messages(phone, ["read", paidId]).status == 0)
        inbox = try Self.list(phone)
        #expect(inbox.unread == unread - 1 && inbox.messages.first?["read"] as? Bool == true)
        #expect(try phone.cli(["status"]).stdout.contains("待同步更改：1 条"))

        // Synced, the other device of the same member shows it read; the others stay unread.
        try o.server.start()
        try o.ok("zhangwei", ["sync"])
        let tablet = Device("zhangwei-tablet")
        try tablet.signIn(o.server, login: "zhangwei", password: o.passwords["zhangwei"]!)
        let other = try Self.list(tablet)
        #expect(other.unread == unread - 1)
        #expect(other.messages.first { $0["id"] as? String == paidId }?["read"] as? Bool == true)
        #expect(other.messages.map { $0["id"] as! String } == inbox.messages.map { $0["id"] as! String })

        // Another member of the same unit, and the unit's clerk, receive none of them.
        for login in ["lina", "unit001", "sz-agent"] {
            _ = try o.cli(login, ["sync"])
            let theirs = try Self.list(o.devices[login]!).messages
            #expect(!theirs.contains { $0["caseNumber"] as? String == number }, "\(login)")
        }
        for device in [phone, tablet, o.devices["lina"]!, o.devices["unit001"]!] {
            #expect(
                try device.cli(["verify", "--json"]).json()["ok"] as? Bool == true, "\(device.home.lastPathComponent)")
        }
    }

    @Test func aUnitIsToldOfAReturnedAndAConfirmedEnrolment() throws {
        let cast = try EnrolmentJourneyTests.Cast(["unit001", "sz-agent", "sl-agent", "finance2602", "lina"])
        defer { cast.server.stop() }
        let lina = EnrolmentJourneyTests.idNumber("61100219900718002")
        let list = Scratch.directory("messages-enrolment").appendingPathComponent("名单.csv")
        try Data("序号,姓名,身份证号码,手机号码\n1,李娜,\(lina),13809161002\n".utf8).write(to: list)
        let id =
            try cast.ok(
                "unit001", ["enrolment", "new", "--activity", "act-accident", "--employees", "2", "--women", "1"])["id"]
            as! String
        try cast.ok("unit001", ["enrolment", "import", id, "--activity", "act-accident", list.path])
        try cast.ok("unit001", ["enrolment", "submit", id])
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        try cast.ok("sz-agent", ["enrolment", "review", id, "--stage", "first", "--fail", "--note", "请补充单位盖章"])
        _ = try cast.devices["unit001"]!.cli(["sync"])
        let returned = try Self.list(cast.devices["unit001"]!).messages
        #expect(returned.map { $0["kind"] as? String } == ["enrolment_returned"])
        #expect((returned.first?["text"] as? String)?.contains("请补充单位盖章") == true)
        #expect(returned.first?["caseNumber"] is NSNull)

        try cast.ok("unit001", ["enrolment", "submit", id])
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        try cast.ok("sz-agent", ["enrolment", "review", id, "--stage", "first", "--pass", "--note", "已补充"])
        _ = try cast.devices["sl-agent"]!.cli(["sync"])
        try cast.ok("sl-agent", ["enrolment", "review", id, "--stage", "second", "--pass", "--note", "同意"])
        _ = try cast.devices["unit001"]!.cli(["sync"])
        try cast.ok("unit001", ["enrolment", "fees", id, "--activity", "act-accident", "--self-paid", "20"])
        try cast.ok(
            "unit001",
            [
                "enrolment", "invoice", id, "--activity", "act-accident", "--batch", "M1", "--source", "会员自付",
                "--title", "李娜", "--tax-number", "91611002MA6Y000012", "--amount", "20",
            ])
        _ = try cast.devices["finance2602"]!.cli(["sync"])
        try cast.ok("finance2602", ["enrolment", "payment", id, "--confirm"])
        let letter = try #require(cast.application("unit001", id)["letterNumber"] as? String)
        let inbox = try Self.list(cast.devices["unit001"]!)
        #expect(inbox.messages.map { $0["kind"] as? String } == ["enrolment_confirmed", "enrolment_returned"])
        #expect((inbox.messages.first?["text"] as? String)?.contains(letter) == true)
        // Not the agencies above the unit, not its member.
        for login in ["sz-agent", "sl-agent", "lina"] {
            _ = try cast.devices[login]!.cli(["sync"])
            #expect(try Self.list(cast.devices[login]!).messages.isEmpty, "\(login)")
        }
        #expect(try cast.devices["unit001"]!.cli(["verify", "--json"]).json()["ok"] as? Bool == true)
    }
}

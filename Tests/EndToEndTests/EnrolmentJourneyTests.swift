import Foundation
import MutualAidDomain
import TestSupport
import Testing

/// A new unit from self-registration to its members seeing their enrolments, every step by the
/// real member-cli of each role against the real sync-server over TLS.
@Suite(.serialized) struct EnrolmentJourneyTests {
    static func uscc(_ first17: String) -> String {
        first17 + String(UnifiedSocialCreditCode.checkCharacter(for: first17)!)
    }
    static func idNumber(_ first17: String) -> String { first17 + String(ResidentID.checkCharacter(for: first17)!) }

    struct Cast {
        let server = ServerProcess(data: Scratch.directory("server"))
        var passwords: [String: String] = [:]
        var devices: [String: Device] = [:]

        init(_ logins: [String]) throws {
            passwords = try server.loadDemo()
            try server.start()
            for login in logins {
                let device = Device(login)
                try device.signIn(server, login: login, password: passwords[login]!)
                devices[login] = device
            }
        }

        @discardableResult
        func ok(_ login: String, _ arguments: [String], stdin: String? = nil) throws -> [String: Any] {
            let result = try devices[login]!.cli(arguments + ["--json"], stdin: stdin)
            guard result.status == 0 else { throw SupportError("\(login) \(arguments): \(result.stderr)") }
            return try result.json()
        }

        func refused(_ login: String, _ arguments: [String], stdin: String? = nil) throws -> String {
            let result = try devices[login]!.cli(arguments, stdin: stdin)
            #expect(result.status != 0, "\(arguments) should have been refused")
            return result.stderr
        }

        func application(_ login: String, _ id: String) throws -> [String: Any] {
            _ = try devices[login]!.cli(["sync"])
            return try ok(login, ["enrolment", "show", id])
        }
    }

    static func jpeg(_ dir: URL, _ name: String, bytes: Int = 50_000) throws -> String {
        var data = Data([0xFF, 0xD8, 0xFF, 0xE0])
        data.append(Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    static func python(_ script: String, _ args: [String]) throws {
        let result = try run("/usr/bin/env", ["python3", "-c", script] + args)
        guard result.status == 0 else {
            throw SupportError("python3 (run scripts/setup for openpyxl): \(result.stderr)")
        }
    }

    @Test func aNewUnitRegistersEnrolsAndItsMembersSeeTheirEnrolments() throws {
        var cast = try Cast(["sz-agent", "sl-agent", "finance2602", "office2602"])
        defer { cast.server.stop() }
        let files = Scratch.directory("unit-files")
        let code = Self.uscc("91611002MA6Y00990")
        let clerk = Device("new-unit")
        cast.devices["clerk"] = clerk
        #expect(try clerk.cli(["connect", cast.server.url, "--ca-file", cast.server.certificate]).status == 0)

        // 1. Self-registration: a bad code is refused and nothing is kept; the good form is sent.
        let form = [
            "register", "new", "--office", "2602", "--agency", "sl-sz", "--name", "商州区新兴商贸有限公司", "--nature", "企业",
            "--union-name", "商州区新兴商贸有限公司工会", "--union-code", Self.uscc("81611002MC0000099"),
            "--region", "陕西省-商洛市-商州区", "--address", "商州区工农路 8 号", "--contact-name", "刘洋",
            "--office-phone", "0914-2345678", "--mobile", "13912345678", "--email", "liuyang@example.com",
            "--licence", try Self.jpeg(files, "licence.jpg"), "--union-certificate", try Self.jpeg(files, "union.jpg"),
        ]
        let badCode = try cast.refused(
            "clerk", form + ["--code", String(code.dropLast()) + (code.last == "0" ? "1" : "0")])
        #expect(badCode.contains("统一社会信用代码校验位不正确"))
        #expect((try cast.ok("clerk", ["register", "status"])["registrations"] as! [Any]).isEmpty)
        let notJpeg = files.appendingPathComponent("scan.pdf")
        try Data("%PDF-1.4 scan".utf8).write(to: notJpeg)
        #expect(
            try cast.refused("clerk", form.map { $0.hasSuffix("licence.jpg") ? notJpeg.path : $0 } + ["--code", code])
                .contains("JPG"))
        let sent = try cast.ok("clerk", form + ["--code", code])["registrations"] as! [[String: Any]]
        #expect(sent.count == 1 && sent[0]["state"] as? String == "submitted")
        let registrationId = sent[0]["id"] as! String
        // A crash after sending but before recording it: the resend gets the same answer, no second registration.
        try Self.sqlite(
            clerk.home.appendingPathComponent("member.sqlite").path,
            "UPDATE registration_draft SET sent_at = NULL, state = 'draft'")
        #expect(
            (try cast.ok("clerk", ["register", "submit"])["registrations"] as! [[String: Any]])[0]["state"] as? String
                == "submitted")

        // 2. The county agent reviews it from the work pool; the password goes out by SMS.
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        let pool = try cast.ok("sz-agent", ["unit", "registrations"])["registrations"] as! [[String: Any]]
        #expect(pool.map { $0["id"] as? String } == [registrationId])
        let photos =
            try cast.ok("sz-agent", ["unit", "photos", registrationId, "--out", files.path])["files"] as! [String]
        #expect(
            photos.count == 2
                && photos.allSatisfy {
                    FileManager.default.contents(atPath: $0)?.prefix(3) == Data([0xFF, 0xD8, 0xFF])
                })
        try cast.ok("sz-agent", ["unit", "review", registrationId, "--pass", "--note", "资料齐全"])
        let sms = try run(Binaries.syncServer, ["sms", "list"] + (try cast.server.storeArguments) + ["--json"])
        let messages = try sms.json()["messages"] as! [[String: Any]]
        #expect(messages.count == 1 && messages[0]["mobile"] as? String == "13912345678")
        let text = messages[0]["text"] as! String
        let initial = String(text[text.range(of: "初始密码：")!.upperBound...].prefix { $0 != "。" })
        #expect(initial.count == 12)

        // 3. First login must change the password before anything else.
        let status = try cast.ok("clerk", ["register", "status", "--refresh"])["registrations"] as! [[String: Any]]
        #expect(status[0]["state"] as? String == "approved" && status[0]["login"] as? String == code)
        let login = try cast.ok("clerk", ["login", code, "--password-stdin"], stdin: initial + "\n")
        #expect(login["mustChangePassword"] as? Bool == true)
        #expect(try cast.refused("clerk", ["sync"]).contains("修改初始密码"))
        #expect(try cast.refused("clerk", ["password"]).isEmpty == false)
        try cast.ok("clerk", ["password", "--password-stdin"], stdin: "\(initial)\nXinxing2026\n")
        try cast.ok("clerk", ["login", code, "--password-stdin"], stdin: "Xinxing2026\n")
        try cast.ok("clerk", ["sync"])
        let catalogue = try cast.ok("clerk", ["catalogue"])["activities"] as! [[String: Any]]
        #expect(
            catalogue.contains {
                $0["id"] as? String == "act-accident" && $0["fee"] as? String == "20.00" && $0["name"] != nil
            })

        // 4. Template filled by openpyxl, imported: exactly the three bad rows are refused.
        let template = files.appendingPathComponent("template.xlsx").path
        try cast.ok("clerk", ["enrolment", "template", "--out", template])
        let person = Self.idNumber("61100219880808005")
        var wrongCheck = Self.idNumber("61100219920202006")
        wrongCheck = String(wrongCheck.dropLast()) + (wrongCheck.last == "1" ? "2" : "1")
        let filled = files.appendingPathComponent("名单.xlsx").path
        try Self.python(
            """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.active
            assert [c.value for c in ws[1]] == ['序号', '姓名', '身份证号码', '手机号码'], [c.value for c in ws[1]]
            for row in [[1, '刘洋', sys.argv[3], '13912345678'], [2, '陈晨', sys.argv[4], '13912345679'],
                        [3, '刘洋', sys.argv[3], '13912345670'], [4, '周舟', sys.argv[5], '1391234567']]:
                ws.append(row)
            wb.save(sys.argv[2])
            """, [template, filled, person, wrongCheck, Self.idNumber("61100219950505007")])
        let id =
            try cast.ok(
                "clerk",
                [
                    "enrolment", "new", "--activity", "act-accident", "--activity", "act-critical",
                    "--activity", "act-inpatient-combo", "--shares", "1", "--employees", "1", "--women", "0",
                ])["id"] as! String
        let failedOut = files.appendingPathComponent("失败.xlsx").path
        let imported = try cast.ok(
            "clerk", ["enrolment", "import", id, "--activity", "act-accident", filled, "--failed-out", failedOut])
        #expect(imported["total"] as? Int == 4 && imported["succeeded"] as? Int == 1)
        let failed = imported["failed"] as! [[String: Any]]
        #expect(failed.map { $0["row"] as? Int } == [3, 4, 5])
        #expect(
            failed.map { $0["reason"] as? String } == [
                "身份证号码校验位不正确，请核对后重新输入", "身份证号码与第2行重复",
                "手机号码应为以1开头的11位数字",
            ])
        try Self.python(
            """
            import sys, openpyxl
            rows = [[c.value for c in r] for r in openpyxl.load_workbook(sys.argv[1]).active.iter_rows()]
            assert len(rows) == 4 and rows[0][-1] == '失败原因' and rows[1][1] == '陈晨', rows
            """, [failedOut])
        // The same person in the other two activities, from csv in GBK and in UTF-8.
        let gbk = files.appendingPathComponent("重疾.csv").path
        try Self.python(
            "import sys; open(sys.argv[1], 'wb').write(('序号,姓名,身份证号码,手机号码\\r\\n1,刘洋,%s,13912345678\\r\\n' % sys.argv[2]).encode('gbk'))",
            [gbk, person])
        let utf8 = files.appendingPathComponent("住院.csv")
        try Data("序号,姓名,身份证号码,手机号码\n1,刘洋,\(person),13912345678\n".utf8).write(to: utf8)
        #expect(
            try cast.ok("clerk", ["enrolment", "import", id, "--activity", "act-critical", gbk])["succeeded"] as? Int
                == 1)
        #expect(
            try cast.ok("clerk", ["enrolment", "import", id, "--activity", "act-inpatient-combo", utf8.path])[
                "succeeded"] as? Int == 1)
        try cast.ok("clerk", ["enrolment", "submit", id])
        #expect(try cast.application("clerk", id)["state"] as? String == "first-review")

        // 5. Reviews by the county and the city agent.
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        try cast.ok("sz-agent", ["enrolment", "review", id, "--stage", "first", "--pass", "--note", "名单齐全"])
        #expect(
            try cast.refused("sz-agent", ["enrolment", "review", id, "--stage", "second", "--pass", "--note", "同意"])
                .contains("市级"))
        _ = try cast.devices["sl-agent"]!.cli(["sync"])
        try cast.ok("sl-agent", ["enrolment", "review", id, "--stage", "second", "--pass", "--note", "同意"])

        // 6. Invoicing: a split that does not add up and an invoice beyond the remainder are refused.
        #expect(try cast.application("clerk", id)["state"] as? String == "invoicing")
        let split = try cast.refused(
            "clerk",
            [
                "enrolment", "fees", id, "--activity", "act-accident", "--union", "10", "--admin", "5", "--self-paid",
                "4",
            ])
        #expect(split.contains("与应交会费 20.00 元不一致"))
        let invoice = ["--batch", "2026-001", "--source", "工会经费", "--title", "商州区新兴商贸有限公司工会", "--tax-number", code]
        for (activity, fee) in [("act-accident", "20"), ("act-critical", "35"), ("act-inpatient-combo", "120")] {
            try cast.ok("clerk", ["enrolment", "fees", id, "--activity", activity, "--union", fee])
            if activity == "act-accident" {
                #expect(
                    try cast.refused(
                        "clerk", ["enrolment", "invoice", id, "--activity", activity, "--amount", "25"] + invoice
                    )
                    .contains("超过剩余开票金额 20.00 元"))
            }
            try cast.ok("clerk", ["enrolment", "invoice", id, "--activity", activity, "--amount", fee] + invoice)
        }
        #expect(try cast.application("clerk", id)["state"] as? String == "payment-check")

        // 7. Finance confirms the payment: the letter is issued.
        _ = try cast.devices["finance2602"]!.cli(["sync"])
        try cast.ok("finance2602", ["enrolment", "payment", id, "--confirm"])
        let confirmed = try cast.application("clerk", id)
        #expect(confirmed["state"] as? String == "confirmed")
        let number = try #require(confirmed["letterNumber"] as? String)
        #expect(number.hasPrefix("G2602") && number.count == 21)
        let pdf = files.appendingPathComponent("确认书.pdf").path
        try cast.ok("clerk", ["letter", number, "--out", pdf])
        let extracted = try run("/usr/bin/env", ["pdftotext", "-layout", pdf, "-"])
        #expect(extracted.status == 0, "pdftotext (run scripts/setup): \(extracted.stderr)")
        for expected in [
            number, "商州区新兴商贸有限公司", "职工意外(含新就业)", "重大疾病(35重+25轻)", "住院综合(住院+重疾+意外)", "20.00", "35.00",
            "120.00", "175.00", "\(confirmed["periodStart"] as! String)日0时至\(confirmed["periodEnd"] as! String)日24时",
        ] {
            #expect(extracted.stdout.contains(expected), "letter text lacks \(expected)")
        }
        #expect(try cast.application("clerk", id)["printCount"] as? Int == 1)

        // 8. The member's own client shows the three enrolments after sync.
        let added = try run(
            Binaries.syncServer,
            ["user", "add"] + (try cast.server.storeArguments) + [
                "--role", "member", "--login", "liuyang",
                "--org", status[0]["unitId"] as? String ?? "", "--name", "刘洋", "--id-number", person,
            ],
            stdin: "liuyang-pass-1\n")
        #expect(added.status == 0, "\(added.stderr)")
        let phone = Device("liuyang")
        try phone.signIn(cast.server, login: "liuyang", password: "liuyang-pass-1")
        let enrolments = try phone.cli(["enrolments", "--json"]).json()["enrolments"] as! [[String: Any]]
        #expect(
            Set(enrolments.compactMap { $0["activity"] as? String }) == [
                "职工意外(含新就业)", "重大疾病(35重+25轻)", "住院综合(住院+重疾+意外)",
            ])
        #expect(
            enrolments.allSatisfy {
                $0["renewal"] as? Bool == false && $0["periodStart"] as? String == confirmed["periodStart"] as? String
            })

        // 9. Archive, and the year's fee income per agency beside last year's.
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        try cast.ok("sz-agent", ["enrolment", "archive", number, "--pass", "--note", "已归档"])
        _ = try cast.devices["office2602"]!.cli(["sync"])
        let csv = files.appendingPathComponent("看板.csv").path
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        let rows =
            try cast.ok("office2602", ["dashboard", "--year", String(year), "--csv", csv])["rows"] as! [[String: Any]]
        let county = try #require(rows.first { $0["agencyName"] as? String == "商州区总工会" })
        #expect(county["amount"] as? String == "175.00" && county["previous"] as? String == "3800.00")
        #expect(try String(contentsOfFile: csv, encoding: .utf8).contains("商州区总工会,175.00,3800.00"))
    }

    @Test func aMemberRenewingWithinFifteenDaysIsMarkedRenewal() throws {
        let cast = try Cast(["unit001", "sz-agent", "sl-agent", "finance2602", "lina"])
        defer { cast.server.stop() }
        let lina = Self.idNumber("61100219900718002")
        let list = Scratch.directory("renewal").appendingPathComponent("续保.csv")
        try Data("序号,姓名,身份证号码,手机号码\n1,李娜,\(lina),13809161002\n".utf8).write(to: list)
        let id =
            try cast.ok(
                "unit001", ["enrolment", "new", "--activity", "act-accident", "--employees", "2", "--women", "1"])["id"]
            as! String
        #expect(
            try cast.ok("unit001", ["enrolment", "import", id, "--activity", "act-accident", list.path])["succeeded"]
                as? Int == 1)
        try cast.ok("unit001", ["enrolment", "submit", id])
        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        let effective = CalendarDate.today(in: CalendarDate.chinaTimeZone).adding(days: 5).description
        try cast.ok(
            "sz-agent", ["enrolment", "review", id, "--stage", "first", "--pass", "--effective-date", effective])
        _ = try cast.devices["sl-agent"]!.cli(["sync"])
        try cast.ok("sl-agent", ["enrolment", "review", id, "--stage", "second", "--pass", "--note", "续保"])
        _ = try cast.devices["unit001"]!.cli(["sync"])
        try cast.ok("unit001", ["enrolment", "fees", id, "--activity", "act-accident", "--self-paid", "20"])
        try cast.ok(
            "unit001",
            [
                "enrolment", "invoice", id, "--activity", "act-accident", "--batch", "R1", "--source", "会员自付",
                "--title", "李娜", "--tax-number", "91611002MA6Y000012", "--amount", "20",
            ])
        _ = try cast.devices["finance2602"]!.cli(["sync"])
        try cast.ok("finance2602", ["enrolment", "payment", id, "--confirm"])
        _ = try cast.devices["lina"]!.cli(["sync"])
        let accident =
            (try cast.devices["lina"]!.cli(["enrolments", "--json"]).json()["enrolments"] as! [[String: Any]])
            .filter { $0["activityId"] as? String == "act-accident" }
        #expect(accident.count == 2)
        let renewed = accident.filter { $0["renewal"] as? Bool == true }
        #expect(renewed.count == 1 && renewed.first?["periodStart"] as? String == effective)

        // A second application entered by mistake is cancelled; it cannot be submitted any more.
        let mistake =
            try cast.ok(
                "unit001", ["enrolment", "new", "--activity", "act-critical", "--employees", "2", "--women", "1"])["id"]
            as! String
        #expect(try cast.refused("unit001", ["enrolment", "cancel", mistake]).contains("--note"))
        try cast.ok("unit001", ["enrolment", "cancel", mistake, "--note", "重复录入"])
        #expect(try cast.application("unit001", mistake)["state"] as? String == "cancelled")
        #expect(try cast.refused("unit001", ["enrolment", "submit", mistake]).contains("已撤销"))
    }

    static func sqlite(_ path: String, _ sql: String) throws {
        let result = try run(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()", path, sql,
            ])
        guard result.status == 0 else { throw SupportError("sqlite: \(result.stderr)") }
    }
}

import Foundation
import MutualAidDomain
import TestSupport
import Testing

/// Every new work pool (issue 14): an item waits pending, is acquired (in progress with its
/// holder, refused to anyone else), released, and moves on with its holder cleared. Real
/// sync-server and member-cli binaries over TLS, each role on its own device.
@Suite(.serialized) struct WorkPoolTests {
    struct Staff {
        let server = ServerProcess(data: Scratch.directory("server"))
        var devices: [String: Device] = [:]

        /// The demo logins plus a second office reviewer and a second finance clerk.
        init() throws {
            var passwords = try server.loadDemo()
            for (login, role) in [("office-b", "office"), ("finance-b", "finance")] {
                let added = try run(
                    Binaries.syncServer,
                    ["user", "add"] + (try server.storeArguments) + [
                        "--role", role, "--login", login, "--org", "2602", "--name", "测试\(login)",
                    ],
                    stdin: "pw-\(login)-123\n")
                guard added.status == 0 else { throw SupportError("user add: \(added.stderr)") }
                passwords[login] = "pw-\(login)-123"
            }
            try server.start()
            for login in [
                "zhangwei", "unit001", "sz-agent", "sl-agent", "office2602", "office-b", "finance2602", "finance-b",
            ] {
                let device = Device(login)
                try device.signIn(server, login: login, password: passwords[login]!)
                devices[login] = device
            }
        }

        @discardableResult
        func ok(_ login: String, _ arguments: [String]) throws -> [String: Any] {
            let result = try devices[login]!.cli(arguments + ["--json"])
            guard result.status == 0 else { throw SupportError("\(login) \(arguments): \(result.stderr)") }
            return try result.json()
        }

        func refused(_ login: String, _ arguments: [String]) throws -> String {
            let result = try devices[login]!.cli(arguments)
            #expect(result.status != 0, "\(login) \(arguments) should have been refused")
            return result.stderr
        }

        /// The rows of a pool as `login` sees it after a sync.
        func pool(_ login: String, _ step: String, _ extra: [String] = []) throws -> [[String: Any]] {
            let answer = try ok(login, ["pool", "--step", step] + extra)
            let key = ["cases", "applications", "registrations"].first { answer[$0] != nil } ?? ""
            return try #require(answer[key] as? [[String: Any]], "\(answer)")
        }

        func row(_ login: String, _ step: String, _ id: String, key: String = "id") throws -> [String: Any]? {
            try pool(login, step).first { $0[key] as? String == id }
        }

        /// One round in a pool: pending, acquired by `holder` (in progress, refused to `other`),
        /// released back to pending.
        func cycle(
            _ step: String, _ id: String, key: String = "id", command: [String], holder: String, other: String,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            let waiting = try #require(try row(holder, step, id, key: key), "\(id) not in \(step)")
            #expect(waiting["tab"] as? String == "pending", sourceLocation: sourceLocation)
            #expect(waiting["holder"] is NSNull, "holder left over in \(step)", sourceLocation: sourceLocation)
            try ok(holder, command + ["acquire", id])
            let taken = try #require(
                try pool(holder, step, ["--tab", "in-progress"]).first { $0[key] as? String == id })
            #expect(taken["holder"] as? String == holder, sourceLocation: sourceLocation)
            let refusal = try refused(other, command + ["acquire", id])
            #expect(
                refusal.contains("（\(holder)）") && (refusal.contains("请先由其释放") || refusal.contains("已由")),
                "\(step): \(refusal)", sourceLocation: sourceLocation)
            try ok(holder, command + ["release", id])
            #expect(try row(other, step, id, key: key)?["tab"] as? String == "pending", sourceLocation: sourceLocation)
            #expect(try pool(other, step, ["--tab", "in-progress"]).isEmpty, sourceLocation: sourceLocation)
        }
    }

    static func idNumber(_ first17: String) -> String { first17 + String(ResidentID.checkCharacter(for: first17)!) }

    /// A unit001 application for one person in the accident activity, submitted.
    static func application(_ s: Staff, person first17: String) throws -> String {
        let id =
            try s.ok(
                "unit001",
                ["enrolment", "new", "--activity", "act-accident", "--shares", "1", "--employees", "1", "--women", "0"])[
                "id"] as! String
        let list = Scratch.directory("lists").appendingPathComponent("\(first17).csv")
        try Data("序号,姓名,身份证号码,手机号码\n1,赵雷,\(idNumber(first17)),13912340001\n".utf8).write(to: list)
        try s.ok("unit001", ["enrolment", "import", id, "--activity", "act-accident", list.path])
        try s.ok("unit001", ["enrolment", "submit", id])
        return id
    }

    @Test func eachEnrolmentPoolAcquiresAndReleases() throws {
        let s = try Staff()
        defer { s.server.stop() }
        let a = try Self.application(s, person: "61100219880101011")
        let b = try Self.application(s, person: "61100219880101021")
        let enrolment = ["enrolment"]

        // 参保初审: batch acquire and release; a held application cannot be taken or decided by another.
        let waiting = try s.pool("sz-agent", "enrolment-first-review")
        #expect(Set(waiting.compactMap { $0["id"] as? String }) == [a, b])
        #expect(waiting.allSatisfy { $0["tab"] as? String == "pending" && $0["insured"] as? Int == 1 })
        #expect(waiting.allSatisfy { $0["fee"] as? String == "20.00" && $0["agencyId"] as? String == "sl-sz" })
        try s.ok("sz-agent", ["enrolment", "acquire", a, b])
        let held = try s.pool("sl-agent", "enrolment-first-review", ["--tab", "in-progress"])
        #expect(Set(held.compactMap { $0["id"] as? String }) == [a, b])
        #expect(held.allSatisfy { $0["holder"] as? String == "sz-agent" && $0["holderName"] as? String == "周强" })
        #expect(try s.pool("sl-agent", "enrolment-first-review", ["--operator", "sz-agent"]).count == 2)
        #expect(try s.pool("sl-agent", "enrolment-first-review", ["--operator", "sl-agent"]).isEmpty)
        let listed = try s.devices["sl-agent"]!.cli(["pool", "--step", "enrolment-first-review"])
        #expect(listed.stdout.contains("参保初审工作池：2 件"), "\(listed.stdout)")
        #expect(listed.stdout.contains("处理中") && listed.stdout.contains("经办：周强（sz-agent）"), "\(listed.stdout)")
        #expect(try s.refused("sl-agent", ["enrolment", "acquire", a]).contains("由 周强（sz-agent）处理中，请先由其释放"))
        #expect(
            try s.refused("sl-agent", ["enrolment", "review", a, "--stage", "first", "--pass", "--note", "好"])
                .contains("请先由其释放"))
        #expect(try s.refused("unit001", ["enrolment", "acquire", b]).contains("只能由县级或市级代办机构获取"))
        #expect(try s.refused("sl-agent", ["enrolment", "release", b]).contains("无需释放"))
        try s.ok("sz-agent", ["enrolment", "release", a, b])
        #expect(try s.pool("sl-agent", "enrolment-first-review", ["--tab", "pending"]).count == 2)
        // Filters, and no suspended tab in the enrolment pools.
        #expect(try s.pool("sz-agent", "enrolment-first-review", ["--unit", "城建"]).count == 2)
        #expect(try s.pool("sz-agent", "enrolment-first-review", ["--agency", "sl-ln"]).isEmpty)
        #expect(try s.pool("sz-agent", "enrolment-first-review", ["--from", "2999-01-01"]).isEmpty)
        #expect(try s.pool("sz-agent", "enrolment-first-review", ["--tab", "suspended"]).isEmpty)
        #expect(
            try s.refused("sz-agent", ["pool", "--step", "enrolment-first-review", "--case-number", "X"])
                .contains("只用于申领工作池"))
        // An unheld application is still decided directly.
        try s.ok("sz-agent", ["enrolment", "review", a, "--stage", "first", "--pass", "--note", "名单齐全"])

        try s.cycle("enrolment-second-review", a, command: enrolment, holder: "sl-agent", other: "office2602")
        try s.ok("sl-agent", ["enrolment", "acquire", a])
        try s.ok("sl-agent", ["enrolment", "review", a, "--stage", "second", "--pass", "--to-final", "--note", "转终审"])

        try s.cycle("enrolment-final-review", a, command: enrolment, holder: "office2602", other: "office-b")
        try s.ok("office2602", ["enrolment", "acquire", a])
        try s.ok("office2602", ["enrolment", "review", a, "--stage", "final", "--pass"])

        try s.cycle("invoicing", a, command: enrolment, holder: "sz-agent", other: "unit001")
        try s.ok("unit001", ["enrolment", "fees", a, "--activity", "act-accident", "--union", "20"])
        try s.ok(
            "unit001",
            [
                "enrolment", "invoice", a, "--activity", "act-accident", "--amount", "20", "--batch", "2026-009",
                "--source", "工会经费", "--title", "商洛市商州区城建公司工会", "--tax-number",
                EnrolmentJourneyTests.uscc("91611002MA6Y00001"),
            ])

        try s.cycle("payment-check", a, command: enrolment, holder: "finance2602", other: "finance-b")
        try s.ok("finance2602", ["enrolment", "payment", a, "--confirm"])

        try s.cycle("enrolment-archive", a, command: enrolment, holder: "sz-agent", other: "sl-agent")
        try s.ok("sz-agent", ["enrolment", "acquire", a])
        try s.ok("sz-agent", ["enrolment", "archive", a, "--pass"])
        #expect(try s.row("sz-agent", "enrolment-archive", a) == nil)
        #expect(try s.refused("sz-agent", ["enrolment", "acquire", a]).contains("不在任何工作池中"))
    }

    @Test func theRegistrationPoolAcquiresAndReleases() throws {
        let s = try Staff()
        defer { s.server.stop() }
        let files = Scratch.directory("unit-files")
        let code = EnrolmentJourneyTests.uscc("91611002MA6Y00771")
        let clerk = Device("new-unit")
        #expect(try clerk.cli(["connect", s.server.url, "--ca-file", s.server.certificate]).status == 0)
        let sent = try clerk.cli([
            "register", "new", "--office", "2602", "--agency", "sl-sz", "--name", "商州区丰源商贸有限公司", "--nature", "企业",
            "--union-name", "商州区丰源商贸有限公司工会", "--union-code", EnrolmentJourneyTests.uscc("81611002MC0000771"),
            "--region", "陕西省-商洛市-商州区", "--address", "商州区北新街 3 号", "--contact-name", "韩梅",
            "--office-phone", "0914-2345000", "--mobile", "13912340771", "--email", "hanmei@example.com",
            "--licence", try EnrolmentJourneyTests.jpeg(files, "licence.jpg"),
            "--union-certificate", try EnrolmentJourneyTests.jpeg(files, "union.jpg"), "--code", code, "--json",
        ])
        #expect(sent.status == 0, "\(sent.stderr)")
        let id = try #require((try sent.json()["registrations"] as? [[String: Any]])?.first?["id"] as? String)

        try s.cycle("registration", id, command: ["unit"], holder: "sz-agent", other: "sl-agent")
        try s.ok("sz-agent", ["unit", "acquire", id])
        #expect(
            try s.refused("sl-agent", ["unit", "review", id, "--pass", "--note", "同意"]).contains("由 周强（sz-agent）处理中"))
        #expect(try s.refused("finance2602", ["unit", "acquire", id]).contains("只能由代办机构或办事处获取"))
        // The file keeps the unit code and the mobile number whole, as text.
        let sheet = files.appendingPathComponent("注册审核.xlsx").path
        try s.ok("sz-agent", ["pool", "--step", "registration", "--xlsx", sheet])
        try EnrolmentJourneyTests.python(
            """
            import openpyxl, sys
            ws = openpyxl.load_workbook(sys.argv[1]).active
            header = [c.value for c in ws[1]]
            assert ws.max_row == 2, ws.max_row
            row = {h: c for h, c in zip(header, ws[2])}
            assert row["编号"].value == sys.argv[2], row["编号"].value
            assert row["单位代码"].value == sys.argv[3] and row["单位代码"].data_type == "s", row["单位代码"].value
            assert row["手机号"].value == "13912340771" and row["手机号"].data_type == "s", row["手机号"].value
            assert row["标签"].value == "处理中" and row["经办人"].value == "周强", (row["标签"].value, row["经办人"].value)
            """, [sheet, id, code])
        // The holder's decision takes it out of the pool; the holder goes with it.
        try s.ok("sz-agent", ["unit", "review", id, "--pass", "--note", "资料齐全"])
        #expect(try s.row("sl-agent", "registration", id) == nil)
        #expect(try s.refused("sz-agent", ["unit", "acquire", id]).contains("不在任何工作池中"))
    }

    static func day(_ offset: Int) -> String {
        CalendarDate.today(in: CalendarDate.chinaTimeZone).adding(days: offset).description
    }

    /// One member claim through the three detours a second review can ask for: final review,
    /// expert review, investigation; each pool takes and gives back the case.
    @Test func theClaimDetourPoolsAcquireAndRelease() throws {
        let s = try Staff()
        defer { s.server.stop() }
        let files = try ClaimJourneyTests.makeFiles(in: Scratch.directory("photos"))
        let id =
            try s.ok(
                "zhangwei",
                [
                    "claim", "new", "--type", "hospitalization", "--standard", "std-staff-med",
                    "--admitted", Self.day(-20), "--discharged", Self.day(-11),
                    "--hospital", "商洛市中心医院", "--diagnosis", "肺炎",
                ])["id"] as! String
        try s.ok("zhangwei", ["claim", "payee", id, "--bank-account", "6222020200112233445", "--bank-name", "中国工商银行"])
        for (item, file) in [("id-card", files.png), ("bank-card", files.jpeg), ("discharge-summary", files.pdf)] {
            try s.ok("zhangwei", ["claim", "attach", id, "--item", item, file])
        }
        try s.ok("zhangwei", ["claim", "submit", id])
        try s.ok("zhangwei", ["sync"])
        let number = try s.ok("zhangwei", ["claim", "show", id])["caseNumber"] as! String
        _ = try s.devices["sz-agent"]!.cli(["sync"])
        try s.ok("sz-agent", ["case", "acquire", number])
        try s.ok(
            "sz-agent",
            [
                "case", "settlement", number, "--hospital", "商洛市中心医院", "--admitted", Self.day(-20),
                "--discharged", Self.day(-11), "--in-scope", "1728.59", "--pooled", "1015.73", "--deductible", "600.00",
            ])
        try s.ok("sz-agent", ["case", "calc", number])
        try s.ok("sz-agent", ["case", "review", number, "--decision", "pass", "--note", "材料齐全"])
        let claim = ["case"]
        func route(_ to: String) throws {
            try s.ok("sl-agent", ["case", "acquire", number])
            try s.ok("sl-agent", ["case", "review", number, "--decision", "pass", "--route", to, "--note", "请\(to)"])
        }

        try route("final")
        try s.cycle("final-review", number, key: "caseNumber", command: claim, holder: "office2602", other: "office-b")
        try s.ok("office2602", ["case", "acquire", number])
        try s.ok("office2602", ["case", "review", number, "--decision", "back", "--note", "退回复审"])
        #expect(try s.row("office2602", "final-review", number, key: "caseNumber") == nil)

        try route("expert")
        try s.cycle("expert-review", number, key: "caseNumber", command: claim, holder: "sl-agent", other: "office2602")
        try s.ok("sl-agent", ["case", "acquire", number])
        try s.ok("sl-agent", ["case", "review", number, "--decision", "pass", "--note", "专家意见：同意"])

        try route("investigation")
        try s.cycle(
            "investigation", number, key: "caseNumber", command: claim, holder: "office2602", other: "sl-agent")
        #expect(try s.pool("sl-agent", "investigation", ["--tab", "suspended"]).isEmpty)
    }
}

import Foundation
import GRDB
import MutualAidDomain
import TestSupport
import Testing

/// Claims through review to payment, driven by each role's own member-cli over TLS.
@Suite(.serialized) struct CaseWorkflowTests {
    struct Office {
        let server: ServerProcess
        let passwords: [String: String]
        var devices: [String: Device] = [:]

        init(extraAgents: [(login: String, org: String)] = []) throws {
            server = ServerProcess(data: Scratch.directory("server"))
            passwords = try server.loadDemo()
            var extra: [String: String] = [:]
            for agent in extraAgents {
                let password = "pw-\(agent.login)-123"
                let added = try run(
                    Binaries.syncServer,
                    ["user", "add"] + (try server.storeArguments) + [
                        "--role", "agent",
                        "--login", agent.login, "--org", agent.org, "--name", "测试\(agent.login)",
                    ],
                    stdin: password + "\n")
                guard added.status == 0 else { throw SupportError("user add: \(added.stderr)") }
                extra[agent.login] = password
            }
            try server.start()
            for login in ["zhangwei", "lina", "sz-agent", "sl-agent", "office2602", "finance2602", "unit001"]
                + extra.keys
            {
                let device = Device(login)
                try device.signIn(server, login: login, password: passwords[login] ?? extra[login]!)
                devices[login] = device
            }
        }

        func cli(_ login: String, _ arguments: [String]) throws -> ProcessResult { try devices[login]!.cli(arguments) }

        /// Runs a command that must succeed; returns its JSON.
        @discardableResult
        func ok(_ login: String, _ arguments: [String]) throws -> [String: Any] {
            let result = try cli(login, arguments + ["--json"])
            guard result.status == 0 else { throw SupportError("\(login) \(arguments): \(result.stderr)") }
            return try result.json()
        }

        func state(_ login: String, _ caseNumber: String) throws -> String {
            _ = try cli(login, ["sync"])
            return try ok(login, ["case", "show", caseNumber])["state"] as! String
        }
    }

    static func day(_ offset: Int) -> String {
        CalendarDate.today(in: CalendarDate.chinaTimeZone).adding(days: offset).description
    }

    static func idNumber(_ first17: String) -> String { first17 + String(ResidentID.checkCharacter(for: first17)!) }

    @Test func aMembersClaimGoesFromFirstReviewToPaid() throws {
        let o = try Office()
        defer { o.server.stop() }
        let id = try o.memberDraft()
        let number = try o.submitMemberClaim(id)

        let pool = try o.ok("sz-agent", ["pool", "--step", "first-review"])["cases"] as! [[String: Any]]
        #expect(pool.contains { $0["caseNumber"] as? String == number && $0["state"] as? String == "first-review" })
        #expect(
            try o.cli("sz-agent", ["case", "review", number, "--decision", "pass", "--note", "x"]).stderr.contains(
                "请先获取该案件"))
        try o.ok("sz-agent", ["case", "acquire", number])
        try o.ok(
            "sz-agent",
            [
                "case", "settlement", number, "--hospital", "商洛市中心医院", "--level", "三级",
                "--admitted", Self.day(-20), "--discharged", Self.day(-11), "--in-scope", "1728.59",
                "--pooled", "1015.73", "--deductible", "600.00", "--large", "0.00",
            ])
        let calc = try o.ok("sz-agent", ["case", "calc", number])
        let line = (calc["lines"] as! [[String: Any]])[0]
        #expect(line["baseAmount"] as? String == "112.86")
        #expect(line["baseDays"] as? Int == 9)
        #expect(line["shares"] as? Int == 1)
        #expect(line["ratio"] as? String == "70.00")
        #expect(line["benefit"] as? String == "79.00")
        #expect(calc["total"] as? String == "79.00")
        try o.ok("sz-agent", ["case", "review", number, "--decision", "pass", "--note", "材料齐全"])
        #expect(try o.state("zhangwei", number) == "second-review")

        let wrongLevel = try o.cli("sz-agent", ["case", "acquire", number])
        #expect(wrongLevel.status != 0 && wrongLevel.stderr.contains("不能办理"))
        try o.ok("sl-agent", ["case", "acquire", number])
        try o.ok("sl-agent", ["case", "review", number, "--decision", "pass", "--note", "同意"])
        #expect(try o.state("zhangwei", number) == "pending-archive")
        try o.ok("sz-agent", ["case", "acquire", number])
        try o.ok("sz-agent", ["case", "archive", number, "--number", "GD-2026-0001"])
        #expect(try o.state("zhangwei", number) == "pending-push")
        try o.ok("sl-agent", ["case", "push", number])  // below 2000 yuan: the city pushes
        #expect(try o.state("zhangwei", number) == "pending-payment")
        #expect(try o.cli("sl-agent", ["case", "pay", number, "--reference", "X"]).stderr.contains("财务"))
        try o.ok("finance2602", ["case", "pay", number, "--reference", "PAY-0001"])
        let shown = try o.ok("zhangwei", ["claim", "show", id])
        #expect(try o.state("zhangwei", number) == "closed")
        #expect(try o.ok("zhangwei", ["claim", "show", id])["amount"] as? String == "79.00")
        let steps = (shown["trail"] as! [[String: Any]]).compactMap { $0["state"] as? String }
        #expect(steps.starts(with: ["first-review"]))
        for (login, device) in o.devices {
            #expect(try device.cli(["sync"]).status == 0)
            #expect(try device.cli(["verify", "--json"]).json()["ok"] as? Bool == true, "\(login)")
        }
    }

    @Test func anAgentAcceptedCaseOf2000OrMoreNeedsTheOffice() throws {
        let o = try Office()
        defer { o.server.stop() }
        let lina = Self.idNumber("61100219900718002")
        let accepted = try o.ok(
            "sz-agent",
            [
                "case", "accept", "--id-number", lina, "--type", "hospitalization",
                "--standard", "std-staff-med", "--admitted", Self.day(-30), "--discharged", Self.day(-10),
                "--hospital", "商洛市中心医院", "--diagnosis", "骨折",
            ])
        let claim = (accepted["cases"] as! [[String: Any]])[0]
        let number = try #require(claim["caseNumber"] as? String)
        #expect(claim["state"] as? String == "accepted")
        #expect(claim["source"] as? String == "办事处受理")
        try o.ok(
            "sz-agent",
            [
                "case", "payee", number, "--relation", "self", "--name", "李娜", "--mobile", "13800000002",
                "--bank-account", "6222020200112230002", "--bank-name", "中国农业银行",
            ])
        try o.ok(
            "sz-agent",
            [
                "case", "settlement", number, "--hospital", "商洛市中心医院", "--admitted", Self.day(-30),
                "--discharged", Self.day(-10), "--in-scope", "10000.00", "--pooled", "5000.00", "--deductible",
                "500.00",
            ])
        #expect(try o.ok("sz-agent", ["case", "calc", number])["total"] as? String == "3150.00")
        try o.ok("sz-agent", ["case", "submit", number])
        try o.ok("sz-agent", ["case", "acquire", number])
        try o.ok("sz-agent", ["case", "review", number, "--decision", "pass", "--note", "同意"])
        try o.ok("sl-agent", ["case", "acquire", number])
        try o.ok("sl-agent", ["case", "review", number, "--decision", "pass", "--note", "同意"])
        #expect(try o.state("sl-agent", number) == "office-review")
        let early = try o.cli("sl-agent", ["case", "push", number])
        #expect(early.status != 0 && early.stderr.contains("不能执行「申领推送」"))
        #expect(try o.cli("sl-agent", ["case", "acquire", number]).status != 0)
        try o.ok("office2602", ["case", "acquire", number])
        try o.ok("office2602", ["case", "review", number, "--decision", "pass", "--note", "纸质材料已审"])
        try o.ok("sz-agent", ["case", "acquire", number])
        try o.ok("sz-agent", ["case", "archive", number, "--number", "GD-2026-0002"])
        let cityPush = try o.cli("sl-agent", ["case", "push", number])
        #expect(cityPush.status != 0 && cityPush.stderr.contains("办事处"))
        try o.ok("office2602", ["case", "push", number])
        try o.ok("finance2602", ["case", "pay", number, "--reference", "PAY-0002"])
        #expect(try o.state("sz-agent", number) == "closed")

        // The restricted list flags the person's later cases to reviewers.
        let second = try o.ok(
            "sz-agent",
            [
                "case", "accept", "--id-number", lina, "--type", "hospitalization",
                "--standard", "std-staff-med", "--admitted", Self.day(-5), "--discharged", Self.day(-2),
                "--hospital", "商洛市中心医院", "--diagnosis", "复查",
            ])
        let secondNumber = (second["cases"] as! [[String: Any]])[0]["caseNumber"] as! String
        try o.ok("sz-agent", ["case", "restrict", secondNumber, "--note", "多次重复申领"])
        let third = try o.ok(
            "unit001",
            [
                "case", "accept", "--id-number", lina, "--type", "hospitalization",
                "--standard", "std-staff-med", "--admitted", Self.day(-4), "--discharged", Self.day(-3),
                "--hospital", "商洛市中心医院", "--diagnosis", "复查",
            ])
        let thirdCase = (third["cases"] as! [[String: Any]])[0]
        #expect(thirdCase["source"] as? String == "单位端")
        #expect(thirdCase["restricted"] as? Bool == true)
    }

    @Test func twoReviewersAcquireTheSameCaseAndExactlyOneWins() throws {
        let o = try Office(extraAgents: [("sz-agent2", "sl-sz")])
        defer { o.server.stop() }
        let lina = Self.idNumber("61100219900718002")
        let accepted = try o.ok(
            "sz-agent",
            [
                "case", "accept", "--id-number", lina, "--type", "hospitalization",
                "--standard", "std-staff-med", "--admitted", Self.day(-9), "--discharged", Self.day(-2),
                "--hospital", "商洛市中心医院", "--diagnosis", "肺炎",
            ])
        let number = (accepted["cases"] as! [[String: Any]])[0]["caseNumber"] as! String
        try o.ok("sz-agent", ["case", "release", number])
        _ = try o.cli("sz-agent2", ["sync"])
        // Both at once, as two processes.
        let results = try [("sz-agent", o.devices["sz-agent"]!), ("sz-agent2", o.devices["sz-agent2"]!)]
            .map { _, device in
                try ChildProcess(Binaries.memberCLI, ["case", "acquire", number, "--home", device.home.path])
            }
        let deadline = Deadline(seconds: 60)
        for process in results { try process.wait(deadline, what: "both acquisitions to finish") }
        let codes = results.map { $0.status ?? -1 }
        #expect(codes.filter { $0 == 0 }.count == 1, "exit codes \(codes)")
        let loser = codes[0] == 0 ? "sz-agent2" : "sz-agent"
        let winner = codes[0] == 0 ? "sz-agent" : "sz-agent2"
        let status = try o.ok(loser, ["status"])
        #expect(
            (status["rejected"] as! [[String: Any]]).contains { ($0["reason"] as? String)?.contains(winner) == true })
        #expect(try o.ok(winner, ["case", "show", number])["holder"] as? String != nil)
    }
}

import Foundation
import MutualAidDomain
import TestSupport
import Testing

@testable import member_cli

/// A person at a terminal files a claim by answering questions; a script without the options
/// gets a Chinese error naming them; ArgumentParser's own messages are Chinese too.
@Suite(.serialized, .timeLimit(.minutes(5))) struct GuidedClaimTests {
    static func day(_ offset: Int) -> String {
        CalendarDate.today(in: CalendarDate.chinaTimeZone).adding(days: offset).description
    }

    /// A signed-in member with a synced replica; the server is stopped: the guided path is local.
    static func member() throws -> (Device, [[String: Any]]) {
        let (server, passwords) = try ServerProcess.demo()
        let phone = Device("guided")
        try phone.signIn(server, login: "zhangwei", password: passwords["zhangwei"]!)
        server.stop()
        let enrolments = try phone.cli(["enrolments", "--json"]).json()["enrolments"] as! [[String: Any]]
        return (phone, enrolments)
    }

    static func claims(_ phone: Device) throws -> [[String: Any]] {
        try phone.cli(["claim", "list", "--json"]).json()["claims"] as! [[String: Any]]
    }

    /// The number shown before the line holding `text` in a numbered list.
    static func number(of text: String, in menu: String) throws -> String {
        let line = try #require(menu.split(separator: "\n").first { $0.contains(text) }, "no \(text) in:\n\(menu)")
        return String(line.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber })
    }

    @Test func aClaimIsFiledByAnsweringQuestionsOnATerminal() throws {
        let (phone, enrolments) = try Self.member()
        let offering = enrolments.filter { !($0["standards"] as! [[String: String]]).isEmpty }
        let index = try #require(
            offering.firstIndex { ($0["standards"] as! [[String: String]]).contains { $0["id"] == "std-staff-med" } })
        let enrolmentId = offering[index]["id"] as! String
        let arguments = ["claim", "new", "--home", phone.home.path]

        // Ctrl-D at the first question: cancelled, nothing saved.
        let quitter = try PseudoTerminal(Binaries.memberCLI, arguments)
        try quitter.expect("请输入编号")
        try quitter.sendEndOfInput()
        try quitter.expect("已取消，未保存任何内容")
        #expect(try quitter.wait() != 0)
        #expect(try Self.claims(phone).isEmpty)

        let pty = try PseudoTerminal(Binaries.memberCLI, arguments)
        let first = try pty.expect("请输入编号")
        #expect(first.contains("参保记录："), "\(first)")
        try pty.send(String(index + 1))
        let types = try pty.expect("请输入编号")
        try pty.send(try Self.number(of: "疾病住院", in: types))
        let standards = try pty.expect("请输入编号")
        try pty.send(try Self.number(of: "（std-staff-med）", in: standards))

        try pty.expect("入院日期（YYYY-MM-DD）：")
        try pty.send("2025-02-30")
        try pty.expect("日期不存在：2025年2月只有28天，没有30日，请重新输入。")
        try pty.expect("入院日期（YYYY-MM-DD）：")
        try pty.send(Self.day(1))
        try pty.expect("日期不能晚于今天")
        try pty.send(Self.day(-12))
        try pty.expect("出院日期")
        try pty.send(Self.day(-3))
        try pty.expect("就诊医院：")
        try pty.send("商洛市中心医院")
        try pty.expect("主要诊断：")
        try pty.send("社区获得性肺炎")
        try pty.expect("申领说明（可直接回车跳过）：")
        try pty.send("")
        let summary = try pty.expect("确认保存？[Y/n]")
        #expect(summary.contains("申领类型：疾病住院") && summary.contains("入院日期：\(Self.day(-12))"), "\(summary)")
        try pty.send("y")
        try pty.expect("已保存申领草稿（尚未提交）")
        #expect(try pty.wait() == 0, "\(pty.output)")

        let claims = try Self.claims(phone)
        #expect(claims.count == 1)
        let claim = try #require(claims.first)
        #expect(claim["claimType"] as? String == "hospitalization")
        #expect(claim["standards"] as? [String] == ["std-staff-med"])
        #expect(claim["enrolmentId"] as? String == enrolmentId)
        #expect(claim["admitted"] as? String == Self.day(-12))
        #expect(claim["discharged"] as? String == Self.day(-3))
        #expect(claim["hospital"] as? String == "商洛市中心医院")
        #expect(claim["state"] as? String == "draft")
    }

    @Test func payeeAndMaterialsAreAskedForWithTheProfileAsDefaults() throws {
        let (phone, _) = try Self.member()
        let created = try phone.cli([
            "claim", "new", "--type", "hospitalization", "--standard", "std-staff-med", "--admitted", Self.day(-5),
            "--json",
        ])
        let id = try #require(try created.json()["id"] as? String)
        let payee = try PseudoTerminal(Binaries.memberCLI, ["claim", "payee", "--home", phone.home.path])
        try payee.expect("申领草稿：")
        try payee.expect("请输入编号 [1]：")  // the one draft is the default
        try payee.send("")
        try payee.expect("请输入编号 [1]：")  // relation: 本人
        try payee.send("")
        try payee.expect("领款人姓名 [张伟]：")  // from the profile: Enter keeps it
        try payee.send("")
        try payee.expect("领款人手机")
        try payee.send("13912345678")
        try payee.expect("领款银行账号")
        try payee.send("6222 0202")
        try payee.expect("银行账号应为12到30位数字")
        try payee.send("6222 0202 0011 2233 445")
        try payee.expect("开户银行")
        try payee.send("中国工商银行商洛分行")
        try payee.expect("确认保存？[Y/n]")
        try payee.send("")
        #expect(try payee.wait() == 0, "\(payee.output)")
        let shown = try phone.cli(["claim", "show", id, "--json"]).json()["payee"] as? [String: String]
        #expect(shown?["name"] == "张伟" && shown?["bankAccount"] == "6222020200112233445", "\(shown ?? [:])")

        let photo = Scratch.directory("photos").appendingPathComponent("id-front.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 2_000)).write(to: photo)
        let attach = try PseudoTerminal(Binaries.memberCLI, ["claim", "attach", id, "--home", phone.home.path])
        let items = try attach.expect("请输入编号")
        try attach.send(try Self.number(of: "（id-card）", in: items))
        try attach.expect("文件路径：")
        try attach.send("/no/such/photo.png")
        try attach.expect("找不到文件 /no/such/photo.png")
        try attach.send(photo.path)
        try attach.expect("下一个文件路径（输入完毕直接回车）：")
        try attach.send("")
        try attach.expect("确认添加？[Y/n]")
        try attach.send("y")
        try attach.expect("已添加 id-card：image/png")
        #expect(try attach.wait() == 0, "\(attach.output)")
    }

    @Test func aScriptWithoutTheOptionsIsToldWhichAreMissingAndNothingIsWritten() throws {
        let (phone, _) = try Self.member()
        let piped = try phone.cli(["claim", "new"])
        #expect(piped.status == 64)
        #expect(piped.stderr.contains("缺少选项 --type（申领类型："), "\(piped.stderr)")
        #expect(piped.stderr.contains("--standard（申领标准编号"))
        #expect(piped.stderr.contains("在终端中不带选项运行可逐项填写。"))
        #expect(piped.stderr.contains("用法：member-cli claim new"))
        #expect(!piped.output.contains("Error") && !piped.output.contains("Usage"))
        // --json on a terminal is a script too.
        let json = try PseudoTerminal(Binaries.memberCLI, ["claim", "new", "--home", phone.home.path, "--json"])
        try json.expect("缺少选项 --type")
        #expect(try json.wait() == 64)
        #expect(try Self.claims(phone).isEmpty)
    }

    @Test func argumentParserMessagesAreChinese() throws {
        let device = Device("parse")
        let bogus = try device.cli(["claim", "new", "--bogus"])
        #expect(bogus.status == 64)
        #expect(bogus.stderr.contains("错误：未知选项 '--bogus'"), "\(bogus.stderr)")
        #expect(bogus.stderr.contains("用法：member-cli claim new"))
        #expect(bogus.stderr.contains("运行 'member-cli claim new --help' 查看详细说明。"))
        let value = try device.cli(["claim", "new", "--type", "nope", "--standard", "std-staff-med"])
        #expect(value.status == 64)
        #expect(value.stderr.contains("'--type <type>' 的值 'nope' 无效"), "\(value.stderr)")
        let argument = try device.cli(["claim", "show"])
        #expect(argument.stderr.contains("缺少必填项 '<claim>'"), "\(argument.stderr)")
        let help = try device.cli(["claim", "new", "--help"])
        #expect(help.status == 0)
        for chinese in ["概述：", "用法：", "选项：", "显示帮助信息。"] { #expect(help.stdout.contains(chinese)) }
        let root = try run(Binaries.memberCLI, ["help"])
        #expect(root.stdout.contains("子命令：") && root.stdout.contains("<子命令>"), "\(root.stdout)")
        for english in ["Error:", "Usage:", "USAGE:", "OPTIONS:", "SUBCOMMANDS:", "Show help", "See '"] {
            #expect(!(bogus.output + value.output + argument.output + help.output + root.output).contains(english))
        }
    }

    @Test func answersAreCheckedAsTyped() throws {
        let today = CalendarDate(year: 2025, month: 3, day: 10)!
        #expect(Prompter.parseDate("2025-02-28", latest: today) == .success(CalendarDate("2025-02-28")!))
        #expect(Prompter.parseDate("2024-2-29") == .success(CalendarDate("2024-02-29")!))
        #expect(Prompter.parseDate("2025-02-29") == .failure(Problem("日期不存在：2025年2月只有28天，没有29日")))
        #expect(Prompter.parseDate("2025-04-31") == .failure(Problem("日期不存在：2025年4月只有30天，没有31日")))
        #expect(Prompter.parseDate("2025-13-01") == .failure(Problem("月份应在 1 到 12 之间，没有 13 月")))
        #expect(Prompter.parseDate("2025/03/01", latest: today) == .failure(Problem("日期格式应为 YYYY-MM-DD，例如 2025-03-10")))
        #expect(Prompter.parseDate("2025-03-11", latest: today) == .failure(Problem("日期不能晚于今天（2025-03-10）")))
        #expect(Prompter.parseAmount("1,280.5元") == .success(Money("1280.50")!))
        #expect(Prompter.parseAmount("12.345") == .failure(Problem("金额应为数字，最多两位小数，例如 1280.50")))
        #expect(Prompter.parseAmount("-3") == .failure(Problem("金额不能为负数")))
        #expect(Prompter.parseNumber("12", range: 0...10) == .failure(Problem("应在 0 到 10 之间")))
        #expect(Prompter.parseNumber("三", range: 0...10) == .failure(Problem("请输入整数，例如 0")))
        #expect(Prompter.parseChoices("3，1 3", count: 3) == .success([3, 1]))
        #expect(Prompter.parseChoice("4", count: 3) == .failure(Problem("请输入 1 到 3 之间的编号")))
        #expect(Prompter.parseYesNo("", default: true) == .success(true))

        var answers = ["2025-02-30", "2025-02-03", ""]
        var printed = ""
        let prompter = Prompter(readAnswer: { answers.isEmpty ? nil : answers.removeFirst() }, write: { printed += $0 })
        #expect(try prompter.date("入院日期", latest: today) == CalendarDate("2025-02-03"))
        #expect(printed.contains("✗ 日期不存在：2025年2月只有28天，没有30日，请重新输入。"))
        #expect(try prompter.text("开户银行", default: "中国工商银行") == "中国工商银行")
        #expect(throws: (any Error).self) { try prompter.confirm() }  // end of input: cancelled
    }
}

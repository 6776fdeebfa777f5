import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain
import SyncProtocol

/// 激活会员身份: an insured person makes their own account. Two steps, each one call: the code
/// is sent, then the code and a new password log the member in.
struct Activate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activate",
        abstract: "激活会员身份：身份证号码、姓名、手机号与参保登记一致时，短信验证码设置密码并登录。",
        discussion: """
            第一步：member-cli activate --id-number 身份证号码 --name 姓名 --mobile 手机号（发送验证码）
            第二步：member-cli activate --id-number 身份证号码 --code 验证码（输入新密码，或 --password-stdin）
            在终端中不带选项运行时逐项提问。激活后用身份证号码（或手机号）登录。
            """)

    @OptionGroup var options: ClientOptions
    @Option(help: "身份证号码（18位）。") var idNumber: String?
    @Option(help: "姓名（与参保登记一致）。") var name: String?
    @Option(help: "手机号码（参保登记或单位登记的手机号）。") var mobile: String?
    @Option(help: "短信验证码（6位数字）。") var code: String?
    @Flag(help: "从标准输入读取一行作为新密码。") var passwordStdin = false

    func validate() throws {
        // A script needs the ID number, and either the code or the name and mobile.
        try GuidedMode.require(json: options.json, [(idNumber != nil, "--id-number", "身份证号码")])
        if code == nil {
            try GuidedMode.require(
                json: options.json,
                [
                    (name != nil, "--name", "姓名，或用 --code 提交已收到的验证码"),
                    (mobile != nil, "--mobile", "手机号码"),
                ])
        }
    }

    func run() async throws {
        guard let idNumber, code != nil || (name != nil && mobile != nil) else { return try await guided() }
        if let code { return try await complete(idNumber: idNumber, code: code) }
        guard let name, let mobile else { return }
        try await options.run { client in
            let sent = try await client.requestActivationCode(idNumber: idNumber, name: name, mobile: mobile)
            if options.json { return Printer.json(sent) }
            Printer.line("\(sent.message)收到后运行：member-cli activate --id-number \(idNumber) --code 验证码")
        }
    }

    private func complete(idNumber: String, code: String) async throws {
        let password = try PasswordPrompt.readNew(fromStdin: passwordStdin)
        try await options.run { client in
            let response = try await client.activate(idNumber: idNumber, code: code, password: password)
            AccountOutput.loggedIn(response, json: options.json, how: "激活成功")
        }
    }

    /// Step by step on a terminal: the fields, a confirmation, the code from the SMS, the new
    /// password. Only the code request goes to the server; nothing is stored before it.
    private func guided() async throws {
        let prompter = Prompter()
        let id = try idNumber ?? prompter.text("身份证号码", check: AccountOutput.idNumberProblem)
        if let code { return try await complete(idNumber: id, code: code) }
        let name = try self.name ?? prompter.text("姓名（与参保登记一致）")
        let mobile = try self.mobile ?? prompter.text("手机号码", check: AccountOutput.mobileProblem)
        prompter.summary("请核对", [("身份证号码", ResidentID.masked(id)), ("姓名", name), ("手机号码", mobile)])
        guard try prompter.confirm("确认发送验证码？") else { throw Prompter.cancelled }
        try await options.run { client in
            let sent = try await client.requestActivationCode(idNumber: id, name: name, mobile: mobile)
            Printer.line(sent.message)
        }
        let code = try prompter.text("短信验证码（6位数字）", check: AccountOutput.codeProblem)
        try await complete(idNumber: id, code: code)
    }
}

/// 忘记密码: a code to the account's mobile, then a new password; every device is signed out.
struct ResetPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-password",
        abstract: "忘记密码：短信验证码发送到账号登记的手机号，凭验证码设置新密码（所有设备随即退出登录）。",
        discussion: """
            第一步：member-cli reset-password --login 账号（发送验证码）
            第二步：member-cli reset-password --login 账号 --code 验证码（输入新密码，或 --password-stdin）
            """)

    @OptionGroup var options: ClientOptions
    @Option(help: "登录账号（会员为身份证号码或手机号）。") var login: String?
    @Option(help: "短信验证码（6位数字）。") var code: String?
    @Flag(help: "从标准输入读取一行作为新密码。") var passwordStdin = false

    func validate() throws {
        try GuidedMode.require(json: options.json, [(login != nil, "--login", "登录账号：身份证号码或手机号")])
    }

    func run() async throws {
        let prompter = GuidedMode.isInteractive(json: options.json) ? Prompter() : nil
        guard let login = try login ?? prompter?.text("登录账号（身份证号码或手机号）", check: { $0.isEmpty ? "请填写账号" : nil })
        else { throw GuidedMode.missing([("--login", "登录账号：身份证号码或手机号")]) }
        var code = self.code
        if code == nil {
            try await options.run { client in
                let sent = try await client.requestPasswordReset(login: login)
                if options.json { return Printer.json(sent) }
                Printer.line(sent.message)
                if prompter == nil {
                    Printer.line("收到后运行：member-cli reset-password --login \(login) --code 验证码")
                }
            }
            guard let prompter else { return }
            code = try prompter.text("短信验证码（6位数字）") { AccountOutput.codeProblem($0) }
        }
        guard let code else { return }
        let password = try PasswordPrompt.readNew(fromStdin: passwordStdin)
        try await options.run { client in
            try await client.resetPassword(login: login, code: code, password: password)
            let response = try await client.login(login, password: password)
            AccountOutput.loggedIn(response, json: options.json, how: "密码已重置，其他设备均已退出登录")
        }
    }
}

/// The account's signed-in devices.
struct Sessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "本账号已登录的设备。", subcommands: [List.self, Revoke.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出已登录的设备（首次与最近使用时间、地址）。")
        @OptionGroup var options: ClientOptions
        @OptionGroup var export: XLSXExport

        func run() async throws {
            try await options.run { client in
                let sessions = try await client.sessions()
                try export.write(.sessions, sessions)
                if options.json { return Printer.json(SessionsResponse(sessions: sessions)) }
                for s in sessions {
                    Printer.line(
                        "\(s.current ? "* " : "  ")\(s.id)\t首次 \(BeijingTime.text(s.firstSeen))\t最近 \(BeijingTime.text(s.lastSeen))"
                            + "\t\(s.address ?? "—")\t客户端 \(s.clientId?.prefix(8) ?? "—")")
                }
                Printer.line("共 \(sessions.count) 台设备（* 为本机，时间为北京时间）。结束某台设备的登录：member-cli sessions revoke 编号")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "结束一台设备的登录。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "设备编号（member-cli sessions 的第一列）。") var id: String

        func run() async throws {
            try await options.run { client in
                try await client.revokeSession(id: id)
                if options.json { return Printer.json(["status": "ok", "id": id]) }
                Printer.line("已结束设备 \(id) 的登录。")
            }
        }
    }
}

/// What the account commands print and ask, shared by the three of them.
enum AccountOutput {
    static func loggedIn(_ response: LoginResponse, json: Bool, how: String) {
        let account = response.account
        if json {
            return Printer.json(
                Login.LoginOutput(
                    login: account.login, role: account.role.rawValue, name: account.name, org: account.orgName,
                    expiresAt: response.expiresAt, mustChangePassword: response.mustChangePassword))
        }
        Printer.line("\(how)：已登录 \(account.name)（\(account.orgName)），登录账号 \(account.login)。运行 member-cli sync 同步数据。")
    }

    static func idNumberProblem(_ typed: String) -> String? {
        do { try ResidentID.validate(LoginName.normalized(typed)) } catch { return error.message }
        return nil
    }

    static func mobileProblem(_ typed: String) -> String? {
        do { try ContactRules.validateMobile(typed) } catch { return error.message }
        return nil
    }

    static func codeProblem(_ typed: String) -> String? {
        VerificationPolicy.normalizedCode(typed) == nil ? "验证码应为短信中的6位数字" : nil
    }
}

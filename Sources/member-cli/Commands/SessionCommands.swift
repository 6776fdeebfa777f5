import ArgumentParser
import MemberCore

struct Connect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "connect", abstract: "设置服务器地址并检查连接（证书与协议版本）。")

    @OptionGroup var options: ClientOptions
    @Argument(help: "服务器地址，例如 https://127.0.0.1:8443") var url: String
    @Option(help: "信任的 CA 证书 PEM 文件（自签名部署）。") var caFile: String?
    @Option(help: "固定服务器公钥，格式 sha256//BASE64。") var pin: String?

    func validate() throws {
        if let pin, !pin.hasPrefix("sha256//") { throw ValidationError("--pin 的格式应为 sha256//BASE64") }
    }

    func run() async throws {
        try await options.run { client in
            let health = try await client.connect(url: url, caFile: caFile, pinnedPublicKey: pin)
            if options.json {
                Printer.json(ConnectOutput(server: url, protocolVersion: health.protocolVersion))
            } else {
                Printer.line("已连接 \(url)（同步协议版本 \(health.protocolVersion)）。下一步：member-cli login <账号>")
            }
        }
    }

    struct ConnectOutput: Encodable {
        var server: String
        var protocolVersion: Int
    }
}

struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "登录。密码在提示符下输入（不回显），或用 --password-stdin。")

    @OptionGroup var options: ClientOptions
    @Argument(help: "登录账号。") var login: String
    @Flag(help: "从标准输入读取一行作为密码。") var passwordStdin = false

    func run() async throws {
        let password = try PasswordPrompt.read(fromStdin: passwordStdin)
        try await options.run { client in
            let response = try await client.login(login, password: password)
            let account = response.account
            if options.json {
                Printer.json(
                    LoginOutput(
                        login: account.login, role: account.role.rawValue, name: account.name,
                        org: account.orgName, expiresAt: response.expiresAt,
                        mustChangePassword: response.mustChangePassword))
            } else {
                Printer.line(
                    "已登录：\(account.name)（\(account.role.chineseName)，\(account.orgName)）。运行 member-cli sync 同步数据。")
                if response.mustChangePassword { Printer.line("首次登录须修改初始密码：运行 member-cli password。") }
            }
        }
    }

    struct LoginOutput: Encodable {
        var login: String, role: String, name: String, org: String, expiresAt: String, mustChangePassword: Bool
    }
}

struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "退出登录；本机未同步的更改会保留。")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.run { client in
            let reached = try await client.logout()
            let pending = try client.status().pendingChanges
            if options.json {
                Printer.json(LogoutOutput(loggedOut: true, serverReached: reached, pendingChanges: pending))
            } else {
                Printer.line(reached ? "已退出登录。" : "已在本机退出登录（未能通知服务器，登录凭证将按期失效）。")
                if pending > 0 { Printer.line("本机还有 \(pending) 条未同步更改，下次用同一账号登录后运行 member-cli sync。") }
            }
        }
    }

    struct LogoutOutput: Encodable {
        var loggedOut: Bool
        var serverReached: Bool
        var pendingChanges: Int
    }
}

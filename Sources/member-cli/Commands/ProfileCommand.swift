import ArgumentParser
import MemberCore

struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "个人资料：联系手机、领款银行账号。", subcommands: [Show.self, Set.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示个人资料（本机数据，离线可用）。")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.run { client in ProfileCommand.print(try client.profile(), json: options.json) }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "修改个人资料；离线也可修改，联网后 sync 上传。")
        @OptionGroup var options: ClientOptions
        @Option(help: "联系手机（11位）。") var mobile: String?
        @Option(help: "领款银行账号。") var bankAccount: String?
        @Option(help: "开户银行。") var bankName: String?

        func run() async throws {
            try await options.run { client in
                let profile = try client.updateProfile(mobile: mobile, bankAccount: bankAccount, bankName: bankName)
                if !options.json { Printer.line("已保存，待同步。") }
                ProfileCommand.print(profile, json: options.json)
            }
        }
    }

    static func print(_ profile: Profile, json: Bool) {
        if json {
            Printer.json(profile)
            return
        }
        Printer.line("姓名：\(profile.name ?? "（未同步）")")
        Printer.line("联系手机：\(profile.mobile ?? "未填写")")
        Printer.line("领款账号：\(profile.bankAccount.map(maskAccount) ?? "未填写")")
        Printer.line("开户银行：\(profile.bankName ?? "未填写")")
    }

    /// Human output shows only the last four digits; --json gives the full value to scripts.
    static func maskAccount(_ account: String) -> String {
        String(repeating: "*", count: max(0, account.count - 4)) + account.suffix(4)
    }
}

import ArgumentParser
import Foundation
import MemberCore

/// The office's and agencies' administration of accounts in their subtree (权限管理).
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "管理（代办机构、办事处）：本机构及下级机构的账号。", subcommands: [User.self])

    struct User: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "账号管理。", subcommands: [Reset.self])

        /// A person who cannot receive a reset code (no mobile of their own, or a lost phone with
        /// the same number) is given a one-time password by their agency.
        struct Reset: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "重置账号密码：临时密码以短信发送到该账号登记的手机号，对方登录后须修改密码；该账号所有设备随即退出登录。")
            @OptionGroup var options: ClientOptions
            @Argument(help: "要重置的登录账号（会员为身份证号码或手机号）。") var login: String

            func run() async throws {
                try await options.run { client in
                    let done = try await client.resetAccount(login: login)
                    if options.json { return Printer.json(done) }
                    Printer.line("已重置 \(done.login) 的密码：临时密码已发送至 \(done.mobile)，对方登录后须修改密码；其所有设备均已退出登录。")
                }
            }
        }
    }
}

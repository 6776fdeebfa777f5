import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain
import SyncProtocol

/// 权限管理 for agencies and the office: accounts and organisations of their own subtree,
/// every change in the audit trail. Online: a change takes effect at once.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "管理（代办机构、办事处）：本机构及下级机构的账号与机构。",
        subcommands: [User.self, Audit.self, Org.self, Activity.self, Standard.self, Checklist.self, Grade.self])

    struct User: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user",
            abstract: "账号管理。", subcommands: [List.self, Add.self, Change.self, Disable.self, Enable.self, Reset.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list", abstract: "列出本机构及下级机构的工作人员账号（--role member 列出会员账号）。")
            @OptionGroup var options: ClientOptions
            @Option(help: "只列出此角色：member、unit、agent、office、finance。") var role: Role?
            @OptionGroup var export: XLSXExport

            func run() async throws {
                try await options.run { client in
                    let accounts = try await client.staffAccounts(role: role)
                    try export.write(.accounts, accounts)
                    if options.json { return Printer.json(AccountsResponse(accounts: accounts)) }
                    guard !accounts.isEmpty else { return Printer.line("没有符合条件的账号。") }
                    for a in accounts { Printer.line(AdminOutput.line(a)) }
                    Printer.line("共 \(accounts.count) 个账号。")
                }
            }
        }

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add",
                abstract: "新增工作人员账号：临时密码以短信发送到所填手机号，首次登录须修改。")
            @OptionGroup var options: ClientOptions
            @Option(help: "登录账号（3至32位字母、数字、“-”或“_”）。") var login: String
            @Option(help: "角色：unit（单位经办人）、agent（代办机构经办人）、office（办事处审核人）、finance（财务）。") var role: Role
            @Option(help: "所属机构编号（member-cli admin org list 查看）。") var org: String
            @Option(help: "姓名。") var name: String
            @Option(help: "手机号码（接收临时密码）。") var mobile: String

            func run() async throws {
                try await options.run { client in
                    let account = try await client.addStaffAccount(
                        NewAccountRequest(login: login, role: role, orgId: org, name: name, mobile: mobile))
                    if options.json { return Printer.json(account) }
                    Printer.line("已新增账号：\(AdminOutput.line(account))")
                    Printer.line("临时密码已用短信发送至 \(account.mobile ?? "—")，对方首次登录须修改密码。")
                }
            }
        }

        struct Change: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "change", abstract: "变更账号的角色、所属机构、姓名或手机号（角色或机构变更后须重新登录）。")
            @OptionGroup var options: ClientOptions
            @Argument(help: "登录账号。") var login: String
            @Option(help: "新角色。") var role: Role?
            @Option(help: "新的所属机构编号。") var org: String?
            @Option(help: "新姓名。") var name: String?
            @Option(help: "新手机号码。") var mobile: String?

            func validate() throws {
                if role == nil && org == nil && name == nil && mobile == nil {
                    throw ValidationError("请至少给出 --role、--org、--name、--mobile 中的一项")
                }
            }

            func run() async throws {
                let change = AccountChangeRequest(role: role, orgId: org, name: name, mobile: mobile)
                try await AdminOutput.apply(change, to: login, options, done: "已变更")
            }
        }

        struct Disable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "disable", abstract: "停用账号：不能再登录和同步，所有设备随即退出登录。")
            @OptionGroup var options: ClientOptions
            @Argument(help: "登录账号。") var login: String

            func run() async throws {
                try await AdminOutput.apply(
                    AccountChangeRequest(disabled: true), to: login, options, done: "已停用（所有设备已退出登录）")
            }
        }

        struct Enable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "enable", abstract: "重新启用已停用的账号。")
            @OptionGroup var options: ClientOptions
            @Argument(help: "登录账号。") var login: String

            func run() async throws {
                try await AdminOutput.apply(AccountChangeRequest(disabled: false), to: login, options, done: "已启用")
            }
        }

        /// A person who cannot receive a reset code (no mobile of their own, or a lost phone with
        /// the same number) is given a one-time password by their agency.
        struct Reset: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "reset",
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

    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "audit", abstract: "账号变更记录（谁、何时、做了什么），最新的在前。")
        @OptionGroup var options: ClientOptions
        @OptionGroup var export: XLSXExport
        @Option(help: "只看此账号的记录。") var login: String?

        func run() async throws {
            try await options.run { client in
                let entries = try await client.accountAudit(login: login)
                try export.write(.accountAudit, entries)
                if options.json { return Printer.json(AccountAuditResponse(entries: entries)) }
                guard !entries.isEmpty else { return Printer.line("没有账号变更记录。") }
                Printer.line("时间（北京时间）\t操作人\t操作\t账号\t内容")
                for e in entries {
                    Printer.line(
                        "\(BeijingTime.text(e.at))\t\(e.actor)\t\(e.action.chineseName)\t\(e.target)\t\(e.detail)")
                }
            }
        }
    }

    struct Org: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "org",
            abstract: "机构：列出、新增代办机构、更名、调整上级、撤销。",
            subcommands: [List.self, Add.self, Rename.self, Move.self, Close.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add", abstract: "新增代办机构：办事处下设市级，市级下设县级（参保单位经注册审核产生）。")
            @OptionGroup var options: ClientOptions
            @Option(help: "上级机构编号。") var parent: String
            @Option(help: "机构名称。") var name: String
            @Option(help: "机构代码（可选）。") var code: String?

            func run() async throws {
                try await options.run { client in
                    let org = try await client.addAgency(parentId: parent, name: name, code: code)
                    if options.json { return Printer.json(org) }
                    Printer.line("已新增\(org.level.chineseName)「\(org.name)」，编号 \(org.id)。")
                }
            }
        }

        struct Rename: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "rename", abstract: "机构更名（参保单位的新名称随同步到达各终端）。")
            @OptionGroup var options: ClientOptions
            @Argument(help: "机构编号。") var id: String
            @Option(help: "新名称。") var name: String

            func run() async throws {
                try await options.run { client in
                    let org = try await client.changeOrg(id: id, OrgChangeRequest(name: name))
                    if options.json { return Printer.json(org) }
                    Printer.line("已更名为「\(org.name)」。")
                }
            }
        }

        struct Move: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "move",
                abstract: "调整上级机构：县级代办机构调到另一市级机构下，参保单位调到另一代办机构下。",
                discussion: "其下的机构、账号和全部记录随之调整；原上级机构同步后不再看到这些记录，新上级机构同步后看到。")
            @OptionGroup var options: ClientOptions
            @Argument(help: "机构编号。") var id: String
            @Option(help: "新的上级机构编号。") var parent: String

            func run() async throws {
                try await options.run { client in
                    let org = try await client.changeOrg(id: id, OrgChangeRequest(parentId: parent))
                    if options.json { return Printer.json(org) }
                    Printer.line("已将「\(org.name)」调到新的上级机构下；各终端同步后生效。")
                }
            }
        }

        struct Close: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "close", abstract: "撤销代办机构（其下须没有未撤销的机构和启用的账号）；撤销后不再接受新的单位注册。")
            @OptionGroup var options: ClientOptions
            @Argument(help: "机构编号。") var id: String
            @Option(help: "说明（记入变更记录）。") var note: String?

            func run() async throws {
                try await options.run { client in
                    let org = try await client.changeOrg(id: id, OrgChangeRequest(closed: true, note: note))
                    if options.json { return Printer.json(org) }
                    Printer.line("已撤销「\(org.name)」。")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "本机构及下级机构（树形），含机构编号。")
            @OptionGroup var options: ClientOptions
            @OptionGroup var export: XLSXExport

            func run() async throws {
                try await options.run { client in
                    let orgs = try await client.orgs()
                    try export.write(.orgs, orgs)
                    if options.json { return Printer.json(OrgsResponse(orgs: orgs)) }
                    for o in orgs {
                        let indent = String(repeating: "  ", count: o.depth)
                        Printer.line("\(indent)\(o.name)（\(o.level.chineseName)）  编号 \(o.id)\(o.closed ? "  已撤销" : "")")
                    }
                }
            }
        }
    }
}

extension Role: ExpressibleByArgument {}

enum AdminOutput {
    static func line(_ a: StaffAccount) -> String {
        "\(a.login)\t\(a.role.chineseName)\t\(a.name)\t\(a.orgName)\t\(a.mobile ?? "—")\t\(a.disabled ? "已停用" : "正常")"
    }

    static func apply(_ change: AccountChangeRequest, to login: String, _ options: ClientOptions, done: String)
        async throws
    {
        try await options.run { client in
            let account = try await client.changeAccount(login: login, change)
            if options.json { return Printer.json(account) }
            Printer.line("\(done)：\(line(account))")
        }
    }
}

import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

struct Register: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register", abstract: "单位注册：填写并保存在本机（离线可用），联网时提交，查看审核结果。",
        subcommands: [New.self, Submit.self, Status.self])

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "填写单位注册信息与两张证件照片（JPG，各不超过 2 MB）。",
            discussion: "在终端中不带选项运行时逐项提问；选项给出的内容不再询问。")
        @OptionGroup var options: ClientOptions
        @Option(help: "所属办事处编号（如 2602）。") var office: String?
        @Option(help: "所属机构（代办机构）编号。") var agency: String?
        @Option(help: "单位名称。") var name: String?
        @Option(help: "单位性质：\(UnitRegistrationForm.natures.joined(separator: "、"))。") var nature: String?
        @Option(help: "单位证件类型：\(UnitRegistrationForm.certTypes.joined(separator: "、"))（默认 统一社会信用代码证）。")
        var certType: String?
        @Option(help: "证件有效期 YYYY-MM-DD（长期有效可不填）。") var certExpiry: String?
        @Option(help: "单位代码（18位统一社会信用代码）。") var code: String?
        @Option(help: "单位工会名称。") var unionName: String?
        @Option(help: "工会信用代码（18位）。") var unionCode: String?
        @Option(help: "产业分类。") var industry: String?
        @Option(help: "上级单位名称。") var parentUnit: String?
        @Option(help: "省-市-区/县，例如 陕西省-商洛市-商州区。") var region: String?
        @Option(help: "详细地址。") var address: String?
        @Flag(help: "涉密单位（仅代办机构代注册时）。") var classified = false
        @Option(help: "联系人姓名。") var contactName: String?
        @Option(help: "联系人职务。") var contactPosition: String?
        @Option(help: "办公电话（区号-号码）。") var officePhone: String?
        @Option(help: "联系人手机号码（初始密码将发送到该手机）。") var mobile: String?
        @Option(help: "电子邮箱。") var email: String?
        @Option(help: "单位证件照片（JPG）。") var licence: String?
        @Option(help: "工会法人证书照片（JPG）。") var unionCertificate: String?
        @Flag(help: "只保存在本机，稍后用 member-cli register submit 提交。") var offline = false

        /// The required options, each with what it is, in the order the form asks them.
        private var required: [(present: Bool, flag: String, what: String)] {
            [
                (office != nil, "--office", "所属办事处编号"), (agency != nil, "--agency", "所属机构编号"),
                (name != nil, "--name", "单位名称"), (nature != nil, "--nature", "单位性质"),
                (code != nil, "--code", "单位代码"), (unionName != nil, "--union-name", "单位工会名称"),
                (unionCode != nil, "--union-code", "工会信用代码"), (region != nil, "--region", "省-市-区/县"),
                (address != nil, "--address", "详细地址"), (contactName != nil, "--contact-name", "联系人姓名"),
                (officePhone != nil, "--office-phone", "办公电话"), (mobile != nil, "--mobile", "联系人手机号码"),
                (email != nil, "--email", "电子邮箱"), (licence != nil, "--licence", "单位证件照片"),
                (unionCertificate != nil, "--union-certificate", "工会法人证书照片"),
            ]
        }

        func validate() throws { try GuidedMode.require(json: options.json, required) }

        func run() async throws {
            try await options.run { client in
                let filled =
                    try required.allSatisfy(\.present)
                    ? fromOptions() : GuidedRegistration(client: client, given: self).run()
                var view = try client.newRegistration(
                    filled.form, licence: URL(fileURLWithPath: filled.licence),
                    unionCertificate: URL(fileURLWithPath: filled.unionCertificate))
                if !offline {
                    do {
                        view = try await client.sendRegistrations().first { $0.id == view.id } ?? view
                    } catch ClientError.unreachable {} catch ClientError.notConnected {}
                }
                Register.report([view], json: options.json)
            }
        }

        /// Every required option is there (`required`): the form as the options give it.
        private func fromOptions() throws -> GuidedRegistration.Filled {
            var expiry: CalendarDate?
            if let certExpiry {
                guard let date = CalendarDate(certExpiry) else { throw ValidationError("证件有效期格式应为 YYYY-MM-DD") }
                expiry = date
            }
            let form = UnitRegistrationForm(
                officeId: office!, agencyId: agency!, name: name!, nature: nature!,
                certType: certType ?? UnitRegistrationForm.certTypes[0], certExpiry: expiry, code: code!,
                unionName: unionName!, unionCode: unionCode!, industry: industry, parentUnit: parentUnit,
                region: region!, address: address!, classified: classified,
                contact: UnitContactForm(
                    name: contactName!, position: contactPosition, officePhone: officePhone!, mobile: mobile!,
                    email: email!))
            return GuidedRegistration.Filled(form: form, licence: licence!, unionCertificate: unionCertificate!)
        }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "submit", abstract: "提交本机保存的注册申请，并刷新审核结果。")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.run { client in Register.report(try await client.sendRegistrations(), json: options.json)
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "查看注册申请的状态（--refresh 先向服务器查询）。")
        @OptionGroup var options: ClientOptions
        @Flag(help: "先向服务器查询最新结果。") var refresh = false

        func run() async throws {
            try await options.run { client in
                Register.report(
                    refresh ? try await client.sendRegistrations() : try client.registrations(), json: options.json)
            }
        }
    }

    static func report(_ list: [MemberClient.RegistrationView], json: Bool) {
        if json { return Printer.json(["registrations": list]) }
        if list.isEmpty { return Printer.line("本机没有注册申请。") }
        for r in list {
            Printer.line("[\(r.id)] \(r.unitName)（\(r.code)）  \(r.stateName)\(r.note.map { "：\($0)" } ?? "")")
            if r.state == "draft" { Printer.line("  尚未提交：联网后运行 member-cli register submit") }
            if let login = r.login, r.state == "approved" {
                Printer.line("  登录账号：\(login)。初始密码已通过短信发送到联系人手机，首次登录后请用 member-cli password 修改。")
            }
        }
    }
}

struct Password: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "修改登录密码（首次登录须修改初始密码）。在提示符下输入（不回显），或用 --password-stdin 从标准输入读两行：当前密码、新密码。")
    @OptionGroup var options: ClientOptions
    @Flag(help: "从标准输入读两行：当前密码、新密码。") var passwordStdin = false

    func run() async throws {
        let current = try PasswordPrompt.read(fromStdin: passwordStdin, prompt: "当前密码：")
        let new = try PasswordPrompt.readNew(fromStdin: passwordStdin)
        try await options.run { client in
            try await client.changePassword(current: current, new: new)
            if options.json { return Printer.json(["status": "ok"]) }
            Printer.line("密码已修改。")
        }
    }
}

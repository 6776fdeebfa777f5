import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain
import SyncProtocol

struct UnitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit", abstract: "单位管理（代办机构）：注册审核、信息查询与维护、联系人、单位合并。",
        subcommands: [
            Registrations.self, Photos.self, Acquire.self, Release.self, Review.self, Search.self, Show.self, Edit.self,
            ContactAdd.self,
            ContactInvalidate.self, Merge.self,
        ])

    struct Registrations: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "registrations", abstract: "工作池：待审核的单位注册（--all 含已审核）。")
        @OptionGroup var options: ClientOptions
        @OptionGroup var export: XLSXExport
        @Flag(help: "含已审核的注册。") var all = false

        func run() async throws {
            try await options.run { client in
                let list = try client.unitRegistrations(all: all)
                try export.write(.registrations, list)
                if options.json { return Printer.json(["registrations": list]) }
                if list.isEmpty { return Printer.line("没有待审核的单位注册。") }
                for r in list {
                    Printer.line(
                        "[\(r.id)] \(r.name)（\(r.code)）\(r.agencyName)  \(RegistrationStatus.chineseName(r.state))  联系人 \(r.contactName) \(r.mobile)  \(r.source == "agent" ? "代注册" : "自助注册")"
                    )
                }
            }
        }
    }

    struct Photos: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "photos", abstract: "下载注册申请的两张证件照片，审核前查看。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "注册编号。") var id: String
        @Option(help: "保存到该文件夹（默认当前文件夹）。") var out = "."

        func run() async throws {
            try await options.run { client in
                let files = try await client.registrationPhotos(id, to: URL(fileURLWithPath: out, isDirectory: true))
                if options.json { return Printer.json(["files": files]) }
                for f in files { Printer.line("已保存 \(f)") }
            }
        }
    }

    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "review", abstract: "审核单位注册；通过后创建单位账号并短信发送初始密码。")
        @OptionGroup var work: WorkOptions
        @Argument(help: "注册编号。") var id: String
        @Flag(help: "审核结论。") var conclusion: Conclusion
        @Option(help: "审核意见（不通过时必填，不超过200字）。") var note: String?

        func run() async throws {
            try await work.perform(
                done: conclusion == .pass ? "审核通过，单位账号已创建，初始密码已短信发送。" : "已退回注册申请。",
                {
                    try await $0.perform(
                        .reviewRegistration(pass: conclusion == .pass, note: note), on: id, online: !work.offline)
                })
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "search", abstract: "按单位名称或代码查询（本机数据）。")
        @OptionGroup var options: ClientOptions
        @OptionGroup var export: XLSXExport
        @Argument(help: "名称或代码中的文字（不填则列出全部）。") var text: String?

        func run() async throws {
            try await options.run { client in
                let list = try client.units(matching: text)
                try export.write(.units, list)
                if options.json { return Printer.json(["units": list]) }
                if list.isEmpty { return Printer.line("没有找到单位。") }
                for u in list {
                    Printer.line(
                        "[\(u.id)] \(u.name)  \(u.code)  \(u.agencyName ?? "")\(u.state == "merged" ? "  已合并到 \(u.mergedInto ?? "")" : "")"
                    )
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "查看单位信息与联系人。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "单位编号。") var id: String

        func run() async throws {
            try await options.run { client in
                let u = try client.unit(id)
                if options.json { return Printer.json(u) }
                Printer.line("\(u.name)（\(u.code)）\(u.nature ?? "")  \(u.agencyName ?? "")")
                Printer.line("地址：\(u.region ?? "") \(u.address ?? "")  产业：\(u.industry ?? "")  登录账号：\(u.login ?? "")")
                for c in u.contacts {
                    Printer.line(
                        "  联系人 [\(c.id)] \(c.name) \(c.position ?? "")  \(c.officePhone ?? "")  \(c.mobile ?? "")  \(c.email ?? "")  \(c.valid ? "有效" : "无效")"
                    )
                }
            }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "维护单位信息（代办机构）。")
        @OptionGroup var work: WorkOptions
        @Argument(help: "单位编号。") var id: String
        @Option(help: "单位名称。") var name: String?
        @Option(help: "单位性质。") var nature: String?
        @Option(help: "单位代码。") var code: String?
        @Option(help: "产业分类。") var industry: String?
        @Option(help: "上级单位名称。") var parentUnit: String?
        @Option(help: "省-市-区/县。") var region: String?
        @Option(help: "详细地址。") var address: String?

        func run() async throws {
            let edit = UnitEdit(
                name: name, nature: nature, code: code?.uppercased(), industry: industry, parentUnit: parentUnit,
                region: region, address: address)
            try await work.perform(
                done: "单位信息已修改。", { try await $0.editUnit(id, edit, online: !work.offline) },
                view: { try $0.unit(id) })
        }
    }

    struct ContactAdd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "contact-add", abstract: "添加单位联系人。")
        @OptionGroup var work: WorkOptions
        @Argument(help: "单位编号。") var unit: String
        @Option(help: "姓名。") var name: String
        @Option(help: "职务。") var position: String?
        @Option(help: "办公电话（区号-号码）。") var officePhone: String
        @Option(help: "手机号码。") var mobile: String
        @Option(help: "电子邮箱。") var email: String

        func run() async throws {
            try await work.perform(
                done: "联系人已添加。",
                {
                    try await $0.addContact(
                        unitId: unit,
                        UnitContactForm(
                            name: name, position: position, officePhone: officePhone,
                            mobile: mobile, email: email), online: !work.offline
                    ).outcome
                }, view: { try $0.unit(unit) })
        }
    }

    struct ContactInvalidate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "contact-invalidate", abstract: "将联系人设为无效。")
        @OptionGroup var work: WorkOptions
        @Argument(help: "联系人编号。") var contact: String

        func run() async throws {
            try await work.perform(
                done: "联系人已设为无效。", { try await $0.setContactValid(contact, valid: false, online: !work.offline) })
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge", abstract: "单位合并：把 --from 单位的会员、账号和记录并入 --into 单位。")
        @OptionGroup var work: WorkOptions
        @Option(help: "保留的单位编号。") var into: String
        @Option(help: "并入后停用的单位编号。") var from: String

        func run() async throws {
            guard into != from else { throw ValidationError("--into 与 --from 须是两个不同的单位") }
            try await work.perform(
                done: "单位已合并。", { try await $0.perform(.mergeUnit(from: from), on: into, online: !work.offline) })
        }
    }
}

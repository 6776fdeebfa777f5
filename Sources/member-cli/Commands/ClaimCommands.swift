import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

struct Enrolments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrolments", abstract: "我的保障：列出参保记录及可申领的标准（本机数据，离线可用）。")
    @OptionGroup var options: ClientOptions
    @OptionGroup var export: XLSXExport

    func run() async throws {
        try await options.run { client in
            let list = try client.enrolments()
            try export.write(.enrolments, list)
            if options.json { return Printer.json(["enrolments": list]) }
            if list.isEmpty { return Printer.line("本机没有参保记录。联网后运行 member-cli sync 获取。") }
            for e in list {
                Printer.line("[\(e.id)] \(e.activity)\(e.renewal ? "（续保）" : "")")
                Printer.line("  单位：\(e.unit)  被保险人：\(e.insuredName)（\(e.relation)）  身份证：\(e.idNumber)")
                Printer.line("  保障期间：\(e.periodStart)日0时至\(e.periodEnd)日24时  份数：\(e.shares)  会费：\(e.fee) 元")
                for s in e.standards {
                    Printer.line(
                        "  可申领：\(s.name)（\(ClaimType(rawValue: s.claimType)?.chineseName ?? s.claimType)）标准编号 \(s.id)")
                }
            }
        }
    }
}

struct ClaimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claim", abstract: "快速申领：离线填写、添加材料、提交、查看进度。",
        subcommands: [
            New.self, Edit.self, Payee.self, Delete.self, Attach.self, Materials.self, Submit.self,
            List.self, Show.self, Estimate.self,
        ])

    struct DraftOptions: ParsableArguments {
        @Option(name: .customLong("standard"), help: "申领标准编号（可多次指定）。") var standards: [String] = []
        @Option(help: "参保记录编号（不指定则按标准和日期自动选择）。") var enrolment: String?
        @Option(help: "入院日期 YYYY-MM-DD（疾病住院）。") var admitted: String?
        @Option(help: "出院日期 YYYY-MM-DD（疾病住院）。") var discharged: String?
        @Option(help: "出险日期 YYYY-MM-DD（意外、身故、重疾）。") var incidentDate: String?
        @Option(help: "就诊医院。") var hospital: String?
        @Option(help: "主要诊断。") var diagnosis: String?
        @Option(help: "申领说明。") var note: String?

        func input(type: ClaimType?) -> ClaimInput {
            ClaimInput(
                claimType: type, standardIds: standards.isEmpty ? nil : standards, enrolmentId: enrolment,
                admitted: admitted, discharged: discharged, incidentDate: incidentDate,
                hospital: hospital, diagnosis: diagnosis, note: note)
        }
    }

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "新建申领草稿。", discussion: "在终端中不带 --type、--standard 运行时，按本机的参保记录逐项提问。")
        @OptionGroup var options: ClientOptions
        @Option(help: "申领类型（在终端中不指定则逐项选择）") var type: ClaimType?
        @OptionGroup var draft: DraftOptions

        func validate() throws {
            try GuidedMode.require(
                json: options.json,
                [
                    (type != nil, "--type", "申领类型：\(GuidedMode.claimTypes)"),
                    (!draft.standards.isEmpty, "--standard", "申领标准编号，见 member-cli enrolments"),
                ])
        }

        func run() async throws {
            try await options.run { client in
                guard let type, !draft.standards.isEmpty else {
                    return try GuidedClaimNew(client: client, given: draft.input(type: type)).run()
                }
                ClaimOutput.print(try client.newClaim(draft.input(type: type)), json: options.json, brief: true)
            }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "修改申领草稿（提交前）。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "申领编号。") var claim: String
        @OptionGroup var draft: DraftOptions

        func run() async throws {
            try await options.run { client in
                ClaimOutput.print(try client.editClaim(claim, draft.input(type: nil)), json: options.json, brief: true)
            }
        }
    }

    struct Payee: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "payee",
            abstract: "设置领款人（默认为本人及个人资料中的账户）。", discussion: "在终端中不带选项运行时逐项提问，方括号中为默认值，回车即采用。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "申领编号（在终端中可不填，从草稿中选择）。") var claim: String?
        @OptionGroup var payee: PayeeOptions

        func validate() throws {
            try GuidedMode.require(json: options.json, [(claim != nil, "<claim>", "申领编号，见 member-cli claim list")])
        }

        func run() async throws {
            try await options.run { client in
                guard let claim, !payee.isEmpty else {
                    return try GuidedPayee(client: client, claim: claim, given: payee.input).run()
                }
                ClaimOutput.print(try client.setPayee(claim, payee.input), json: options.json, brief: true)
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "删除申领草稿（仅限未提交的）。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "申领编号。") var claim: String

        func run() async throws {
            try await options.run { client in
                try client.deleteClaim(claim)
                if options.json { Printer.json(["deleted": claim]) } else { Printer.line("已删除草稿。") }
            }
        }
    }

    struct Attach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attach",
            abstract: "添加材料文件（png、jpeg、pdf，每个不超过10MB）；文件会加密复制到本机。",
            discussion: "在终端中不带参数运行时，从草稿和材料清单中选择，再逐个输入文件路径。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "申领编号。") var claim: String?
        @Option(help: "材料项，例如 id-card、bank-card、discharge-summary（见 claim materials）。") var item: String?
        @Argument(help: "文件路径。") var files: [String] = []

        func validate() throws {
            try GuidedMode.require(
                json: options.json,
                [
                    (claim != nil, "<claim>", "申领编号，见 member-cli claim list"),
                    (item != nil, "--item", "材料项，见 member-cli claim materials 申领编号"),
                    (!files.isEmpty, "<files>", "要添加的文件路径"),
                ])
        }

        func run() async throws {
            try await options.run { client in
                guard let claim, let item, !files.isEmpty else {
                    return try GuidedAttach(client: client, claim: claim, item: item, files: files).run()
                }
                let added = try client.attach(claim, item: item, files: files)
                if options.json { return Printer.json(["materials": added]) }
                for m in added {
                    Printer.line("已添加 \(m.item)：\(m.contentType)，\(m.bytes) 字节，SHA-256 \(m.sha256.prefix(16))…")
                }
            }
        }
    }

    struct Materials: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "materials", abstract: "材料清单：必需与否、最多份数、已添加份数。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "申领编号。") var claim: String

        func run() async throws {
            try await options.run { client in
                let lines = try client.materialChecklist(claim)
                if options.json { return Printer.json(["items": lines]) }
                for l in lines {
                    Printer.line(
                        "\(l.count >= 1 || !l.required ? "✓" : "✗") \(l.item)\t\(l.name)\t\(l.required ? "必需" : "可选")\t已添加 \(l.count)/\(l.max)"
                    )
                }
            }
        }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "submit", abstract: "提交申领（离线检查完整性，下次同步时上传）。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "申领编号。") var claim: String

        func run() async throws {
            try await options.run { client in
                let view = try client.submit(claim)
                if options.json { return Printer.json(view) }
                Printer.line("已提交，状态：\(view.stateText)。联网后运行 member-cli sync 上传申领和材料。")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出申领。")
        @OptionGroup var options: ClientOptions
        @OptionGroup var export: XLSXExport

        func run() async throws {
            try await options.run { client in
                let claims = try client.claims()
                try export.write(.claims, claims)
                if options.json { return Printer.json(["claims": claims]) }
                if claims.isEmpty { return Printer.line("还没有申领。用 member-cli claim new 新建。") }
                for c in claims {
                    Printer.line(
                        "\(c.id.prefix(8))  \(c.caseNumber ?? "（无案件号）")  \(c.stateText)  \(c.claimTypeText)  \(c.admitted ?? c.incidentDate ?? "")"
                    )
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "查看申领详情、材料和流程轨迹。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "申领编号或案件号。") var claim: String

        func run() async throws {
            try await options.run { client in
                ClaimOutput.print(try client.claim(claim), json: options.json, brief: false)
            }
        }
    }
}

/// Payee (领款人) options shared by members' claims and staff cost entry.
struct PayeeOptions: ParsableArguments {
    @Option(help: "与被保险人关系：self（本人）、spouse（配偶）、child（子女）、parent（父母）或中文。") var relation: String?
    @Option(help: "领款人姓名。") var name: String?
    @Option(help: "领款人手机。") var mobile: String?
    @Option(help: "领款银行账号。") var bankAccount: String?
    @Option(help: "开户银行。") var bankName: String?

    static let relations = ["self": "本人", "spouse": "配偶", "child": "子女", "parent": "父母", "other": "其他"]

    /// No payee option given: a terminal then asks for all of them.
    var isEmpty: Bool { [relation, name, mobile, bankAccount, bankName].allSatisfy { $0 == nil } }

    var input: PayeeInput {
        PayeeInput(
            relation: relation.map { Self.relations[$0] ?? $0 }, name: name, mobile: mobile,
            bankAccount: bankAccount, bankName: bankName)
    }
}

extension ClaimCommand {
    struct Estimate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "estimate",
            abstract: "离线估算互助金（与审核人员同一计算规则）；住院医疗可给出结算单上的金额试算。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "申领编号。") var claim: String
        @Option(help: "结算单：符合范围金额。") var inScope: String?
        @Option(help: "结算单：统筹基金支付。") var pooled: String?
        @Option(help: "结算单：实际支付起付线。") var deductible: String?
        @Option(help: "结算单：大额支付金额。") var large: String?

        func run() async throws {
            try await options.run { client in
                var extra: [SettlementSheetInput] = []
                if let inScope {
                    let c = try client.claim(claim)
                    extra = [
                        SettlementSheetInput(
                            hospital: c.hospital ?? "试算", admitted: c.admitted, discharged: c.discharged,
                            inScope: inScope, pooled: pooled ?? "0", deductible: deductible ?? "0",
                            largeAmount: large ?? "0")
                    ]
                }
                BenefitOutput.print(try client.estimate(claim, extraSheets: extra), json: options.json)
            }
        }
    }
}

extension ClaimType: ExpressibleByArgument {}

import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

struct Catalogue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue", abstract: "保障活动目录：名称、细类、标准会费（元/份）。本机数据，离线可用。")
    @OptionGroup var options: ClientOptions
    @OptionGroup var export: XLSXExport

    func run() async throws {
        try await options.run { client in
            let list = try client.catalogue()
            try export.write(.catalogue, list)
            if options.json { return Printer.json(["activities": list]) }
            if list.isEmpty { return Printer.line("本机还没有保障活动目录。联网后运行 member-cli sync 获取。") }
            for a in list {
                Printer.line("\(a.id)\t\(a.name)（\(a.subtype)）\t\(a.fee) 元/份\t最低参保率 \(a.minEnrolmentRatePct)%")
                for s in a.standards {
                    let type = ClaimType(rawValue: s.claimType)?.chineseName ?? s.claimType
                    let method = BenefitMethod(rawValue: s.method)?.chineseName ?? s.method
                    let rule = [
                        s.ratioBp.map { "比例 \(PercentText.format(basisPoints: $0))%" }, s.amount.map { "金额 \($0) 元" },
                        s.cap.map { "封顶 \($0) 元" },
                    ].compactMap { $0 }.joined(separator: "，")
                    Printer.line("    给付标准 \(s.id)  \(type) · \(s.name)  \(method)\(rule.isEmpty ? "" : "：\(rule)")")
                }
            }
        }
    }
}

struct EnrolmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrolment", abstract: "参保：下载模板、录入、导入人员清单、提交、审核、开票、到账、归档。",
        subcommands: [
            Template.self, New.self, Import.self, Persons.self, PersonEdit.self, PersonRemove.self, ChangeCommand.self,
            Submit.self,
            List.self, Show.self,
            Acquire.self, Release.self, Review.self, Fees.self, InvoiceEntry.self, Payment.self, Archive.self,
            Cancel.self,
        ])

    struct Template: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "template", abstract: "生成参保人信息模板（xlsx）。")
        @OptionGroup var options: ClientOptions
        @Option(help: "保存为（默认 参保人信息模板-通用.xlsx）。") var out = PersonListRules.templateFileName

        func run() async throws {
            try await options.run { _ in
                try MemberClient.writeTemplate(to: URL(fileURLWithPath: out))
                if options.json { return Printer.json(["file": out]) }
                Printer.line("已生成模板：\(out)（序号、姓名、身份证号码、手机号码）。")
            }
        }
    }

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "新建参保申请（离线可用）。", discussion: "在终端中不带选项运行时，从本机的保障活动目录中选择并逐项提问。")
        @OptionGroup var options: ClientOptions
        @Option(name: .customLong("activity"), help: "保障活动编号（可多次指定，见 member-cli catalogue）。") var activities: [String] =
            []
        @Option(help: "每人份数（默认 1）。") var shares: Int?
        @Option(help: "在职职工人数。") var employees: Int?
        @Option(help: "其中在职女职工人数。") var women: Int?
        @Option(help: "高危职业人数（默认 0）。") var highRisk: Int?
        @Flag(help: "新就业形态。") var newEmployment = false
        @Option(help: "参保单位编号（代办机构代录时必填）。") var unit: String?

        private var required: [(present: Bool, flag: String, what: String)] {
            [
                (!activities.isEmpty, "--activity", "保障活动编号，可多次指定，见 member-cli catalogue"),
                (employees != nil, "--employees", "在职职工人数"), (women != nil, "--women", "其中在职女职工人数"),
            ]
        }

        func validate() throws { try GuidedMode.require(json: options.json, required) }

        func run() async throws {
            try await options.run { client in
                let f =
                    try required.allSatisfy(\.present)
                    ? GuidedEnrolment.Filled(
                        activities: activities, shares: shares ?? 1, employees: employees!, women: women!,
                        highRisk: highRisk ?? 0, newEmployment: newEmployment, unit: unit)
                    : GuidedEnrolment(client: client, given: self).run()
                let id = try client.newEnrolment(
                    activities: f.activities, shares: f.shares, employees: f.employees, women: f.women,
                    highRisk: f.highRisk, newEmployment: f.newEmployment, unitId: f.unit)
                if options.json { return Printer.json(["id": id]) }
                Printer.line("已新建参保申请 \(id)。下一步：member-cli enrolment import \(id) --activity 活动编号 名单.xlsx")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "导入一个保障活动的人员清单（xlsx 或 csv，UTF-8 或 GBK；离线可用）。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "参保申请编号。") var id: String
        @Option(help: "保障活动编号。") var activity: String
        @Argument(help: "人员清单文件。") var file: String
        @Option(help: "把导入失败的行连同原因写入该文件（.xlsx 或 .csv），修改后可再次导入。")
        var failedOut: String?

        func run() async throws {
            try await options.run { client in
                let result = try client.importList(
                    id, activityId: activity, file: URL(fileURLWithPath: file),
                    failedOut: failedOut.map { URL(fileURLWithPath: $0) })
                if options.json { return Printer.json(result) }
                Printer.line("共 \(result.total) 行，成功 \(result.succeeded) 行，失败 \(result.failed.count) 行。")
                for f in result.failed.prefix(50) { Printer.line("  第\(f.row)行：\(f.reason)") }
                if result.failed.count > 50 { Printer.line("  ……其余 \(result.failed.count - 50) 行见 --failed-out 文件") }
                if let path = result.failedFile { Printer.line("失败的行已写入 \(path)，修改后可再次导入。") }
            }
        }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "submit", abstract: "提交参保申请，进入初审。")
        @OptionGroup var work: WorkOptions
        @Argument(help: "参保申请编号。") var id: String

        func run() async throws {
            try await work.perform(
                done: "已提交，等待初审。", { try await $0.submitEnrolment(id, online: !work.offline) },
                view: { try $0.enrolmentApplication(id) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出本机的参保申请。")
        @OptionGroup var options: ClientOptions
        @OptionGroup var export: XLSXExport
        @Option(help: "只列出该状态（如 first-review、invoicing、payment-check）。") var state: String?

        func run() async throws {
            try await options.run { client in
                let list = try client.enrolmentApplications().filter { state == nil || $0.state == state }
                try export.write(.applications, list)
                if options.json { return Printer.json(["enrolments": list]) }
                if list.isEmpty { return Printer.line("没有参保申请。") }
                for a in list {
                    Printer.line(
                        "[\(a.id)] \(a.unitName ?? a.unitId)  \(a.stateName)  \(a.lines.map(\.activityName).joined(separator: "、"))  会费 \(a.feeTotal) 元\(a.letterNumber.map { "  确认书 \($0)" } ?? "")"
                    )
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "查看参保申请：汇总、自核结果、开票、确认书、流程轨迹。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "参保申请编号或确认书编号。") var id: String

        func run() async throws {
            try await options.run { client in
                let a = try client.enrolmentApplication(id)
                if options.json { return Printer.json(a) }
                EnrolmentOutput.print(a)
            }
        }
    }
}

import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

extension EnrolmentCommand {
    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review", abstract: "参保审核：初审（first）、复审（second）、终审（final）。")
        @OptionGroup var work: WorkOptions
        @Argument(help: "参保申请编号。") var id: String
        @Option(help: "审核阶段：first, second, final。") var stage: Stage
        @Flag(help: "审核结论。") var conclusion: Conclusion
        @Option(help: "审核意见（不超过200字；复审必填，不通过时必填）。") var note: String?
        @Option(help: "初审时指定生效日 YYYY-MM-DD。") var effectiveDate: String?
        @Flag(help: "复审后进入终审。") var toFinal = false

        enum Stage: String, ExpressibleByArgument, CaseIterable { case first, second, final }

        func run() async throws {
            let pass = conclusion == .pass
            try await work.perform(
                done: pass ? "审核通过。" : "审核不通过，已退回单位修改。",
                {
                    try await $0.perform(.enrolment(try step(pass: pass)), on: id, online: !work.offline)
                }, view: { try $0.enrolmentApplication(id) })
        }

        func step(pass: Bool) throws -> EnrolmentAction {
            var date: CalendarDate?
            if let effectiveDate {
                guard stage == .first, let parsed = CalendarDate(effectiveDate) else {
                    throw ClientError.invalidInput(
                        RuleViolation(field: "effectiveDate", message: "指定生效日只在初审时填写，格式 YYYY-MM-DD"))
                }
                date = parsed
            }
            return switch stage {
            case .first: .firstReview(pass: pass, note: note, effectiveDate: date)
            case .second: .secondReview(pass: pass, toFinal: toFinal, note: note ?? "")
            case .final: .finalReview(pass: pass, note: note)
            }
        }
    }

    struct Fees: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fees",
            abstract: "开票录入：一个保障活动的补贴、赠险和费用来源（工会经费 + 行政经费 + 会员自付 = 应交会费）。")
        @OptionGroup var work: WorkOptions
        @Argument(help: "参保申请编号。") var id: String
        @Option(help: "保障活动编号。") var activity: String
        @Option(help: "补贴金额。") var subsidy = "0"
        @Option(help: "赠险金额。") var gift = "0"
        @Option(help: "工会经费。") var union = "0"
        @Option(help: "行政经费。") var admin = "0"
        @Option(help: "会员自付。") var selfPaid = "0"

        func run() async throws {
            try await work.perform(
                done: "费用来源已保存。",
                {
                    let split = FeeSplit(
                        unionFunds: try MemberClient.money(union), adminFunds: try MemberClient.money(admin),
                        selfPaid: try MemberClient.money(selfPaid))
                    let action = WorkAction.setFees(
                        activityId: activity, subsidy: try MemberClient.money(subsidy),
                        gift: try MemberClient.money(gift), split: split)
                    return try await $0.perform(action, on: id, online: !work.offline)
                }, view: { try $0.enrolmentApplication(id) })
        }
    }

    struct InvoiceEntry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "invoice", abstract: "添加一张发票，直到剩余开票金额为 0。")
        @OptionGroup var work: WorkOptions
        @Argument(help: "参保申请编号。") var id: String
        @Option(help: "保障活动编号。") var activity: String
        @Option(help: "批次号。") var batch: String
        @Option(help: "费用来源：工会经费、行政经费、会员自付（或 union、admin、self）。") var source: String
        @Option(help: "发票抬头。") var title: String
        @Option(help: "纳税人识别号。") var taxNumber: String
        @Option(help: "发票金额。") var amount: String

        func run() async throws {
            guard let feeSource = FeeSource(text: source) else { throw ValidationError("费用来源须是 工会经费、行政经费 或 会员自付") }
            guard let money = Money(amount) else { throw ValidationError("金额格式应为最多两位小数的数字，例如 175.00") }
            let invoice = Invoice(batch: batch, feeSource: feeSource, title: title, taxNumber: taxNumber, amount: money)
            try await work.perform(
                done: "发票已录入。",
                {
                    try await $0.perform(.addInvoice(activityId: activity, invoice), on: id, online: !work.offline)
                }, view: { try $0.enrolmentApplication(id) })
        }
    }

    struct Payment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "payment", abstract: "财务到账确认，或退回开票录入。")
        @OptionGroup var work: WorkOptions
        @Argument(help: "参保申请编号。") var id: String
        @Flag(help: "确认到账（--confirm）或退回（--return）。") var decision: PaymentDecision
        @Option(help: "退回原因。") var note: String?

        enum PaymentDecision: String, EnumerableFlag { case confirm, `return` }

        func run() async throws {
            try await work.perform(
                done: decision == .confirm ? "已确认到账，确认书已生成。" : "已退回开票录入。",
                {
                    try await $0.perform(
                        .enrolment(
                            decision == .confirm ? .confirmPayment(note: note) : .returnPayment(note: note ?? "")),
                        on: id,
                        online: !work.offline)
                }, view: { try $0.enrolmentApplication(id) })
        }
    }

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "archive", abstract: "确认书归档：结论与说明。")
        @OptionGroup var work: WorkOptions
        @Argument(help: "参保申请编号或确认书编号。") var id: String
        @Flag(help: "归档结论。") var conclusion: Conclusion
        @Option(help: "说明（不超过200字）。") var note: String?

        func run() async throws {
            try await work.perform(
                done: "确认书已归档。",
                {
                    try await $0.perform(
                        .enrolment(.archive(pass: conclusion == .pass, note: note)), on: id, online: !work.offline)
                }, view: { try $0.enrolmentApplication(id) })
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "参保撤销（到账确认之前）。")
        @OptionGroup var work: WorkOptions
        @Argument(help: "参保申请编号。") var id: String
        @Option(help: "撤销原因。") var note: String

        func run() async throws {
            try await work.perform(
                done: "参保申请已撤销。",
                { try await $0.perform(.enrolment(.cancel(note: note)), on: id, online: !work.offline) },
                view: { try $0.enrolmentApplication(id) })
        }
    }
}

/// Pass or fail, as --pass / --fail.
enum Conclusion: String, EnumerableFlag { case pass, fail }

struct Dashboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dashboard", abstract: "业务看板：各代办机构某年会费收入、排名及同比（本机数据）。")
    @OptionGroup var options: ClientOptions
    @OptionGroup var export: XLSXExport
    @Option(help: "年份（默认今年，北京时间）。") var year = CalendarDate.today(in: CalendarDate.chinaTimeZone).year
    @Option(help: "另存为 CSV 文件。") var csv: String?

    func run() async throws {
        try await options.run { client in
            let rows = try client.dashboard(year: year)
            try export.write(.dashboard, rows)
            if let csv {
                do {
                    try Data(FeeDashboard.csv(rows).utf8).write(to: URL(fileURLWithPath: csv), options: .atomic)
                } catch {
                    throw ClientError.io("无法写入文件 \(csv)")
                }
            }
            if options.json { return Printer.json(["year": AnyEncodable(year), "rows": AnyEncodable(rows)]) }
            Printer.line("\(year) 年会费收入（元）")
            Printer.line(FeeDashboard.csvHeader.joined(separator: "\t"))
            for r in rows {
                Printer.line(
                    "\(r.rank)\t\(r.agencyName)\t\(r.amount)\t\(r.previous)\t\(r.changeText)\t\(r.applications)")
            }
            if rows.isEmpty { Printer.line("（没有已确认的参保）") }
            if let csv { Printer.line("已另存为 \(csv)") }
        }
    }
}

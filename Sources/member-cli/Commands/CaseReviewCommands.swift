import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

extension CaseCommand {
    struct Settlement: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "settlement", abstract: "费用录入：添加一张医保结算单。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String
        @Option(help: "医院。") var hospital: String
        @Option(help: "医院等级。") var level: String?
        @Option(help: "医保类型（默认 职工医保）。") var insuranceType = "职工医保"
        @Option(help: "结算单号。") var sheetNumber: String?
        @Option(help: "入院日期。") var admitted: String
        @Option(help: "出院日期。") var discharged: String
        @Option(help: "符合范围金额。") var inScope: String
        @Option(help: "统筹基金支付。") var pooled: String
        @Option(help: "实际支付起付线。") var deductible: String
        @Option(help: "大额支付金额。") var large = "0"
        @Option(help: "总金额。") var total: String?
        @Option(help: "部分自付。") var partialSelfPay: String?
        @Option(help: "全额自费。") var fullSelfPay: String?
        @Option(help: "超限价自费。") var overLimitSelfPay: String?
        @Option(help: "个人账户支付。") var personalAccount: String?
        @Option(help: "现金支付。") var cash: String?
        @Option(help: "个人负担总额。") var personalBurden: String?
        @Flag(help: "异地就医。") var outOfArea = false
        @Option(help: "第三方支付。") var thirdParty: String?
        @Option(help: "公务员补助。") var civilServantSubsidy: String?

        func run() async throws {
            let input = SettlementSheetInput(
                hospital: hospital, hospitalLevel: level, insuranceType: insuranceType, sheetNumber: sheetNumber,
                admitted: admitted,
                discharged: discharged, total: total, inScope: inScope, pooled: pooled, deductible: deductible,
                largeAmount: large,
                partialSelfPay: partialSelfPay, fullSelfPay: fullSelfPay, overLimitSelfPay: overLimitSelfPay,
                personalAccount: personalAccount, cash: cash, personalBurden: personalBurden, outOfArea: outOfArea,
                thirdParty: thirdParty, civilServantSubsidy: civilServantSubsidy)
            try await common.options.run { client in
                let sheet = try client.addSettlement(id, input)
                common.report(
                    client, [id], try await client.syncChanges(records: [sheet], online: !common.offline),
                    done: "结算单已添加。")
            }
        }
    }

    struct Calc: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "calc", abstract: "申领计算：生成互助金计算表（服务器的结果为准；离线时显示本机估算）。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String

        func run() async throws {
            try await common.options.run { client in
                let outcome = try await client.act([id], .calculate, online: !common.offline)
                // The server's table once it has calculated; offline the same engine's estimate.
                let table = try (outcome == .done ? client.calculatedBenefit(id) : nil) ?? client.estimate(id)
                BenefitOutput.print(table, json: common.options.json)
            }
        }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "submit", abstract: "费用录入完成，提交初审。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String
        func run() async throws { try await common.act([id], .workflow(.submitCosts), done: "已提交初审。") }
    }

    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review", abstract: "审核结论：pass（通过）、fail（不通过）、back（退回）。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String
        @Option(help: "结论。") var decision: ReviewDecision
        @Option(help: "审核意见（初审不超过1000字；不通过和退回必填）。") var note: String?
        @Option(help: "转入：expert（专家审核）、investigation（调查处理）、final（终审），代替结论。") var route: String?

        func run() async throws {
            let step: CaseAction =
                switch route {
                case "expert": .routeToExpert(note: note)
                case "investigation": .routeToInvestigation(note: note)
                case "final": .requestFinalReview(note: note)
                default: .review(decision: decision, note: note)
                }
            try await common.act([id], .workflow(step), done: "审核结论已提交。")
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "suspend", abstract: "悬挂案件。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String
        @Option(help: "原因。") var note: String
        func run() async throws { try await common.act([id], .workflow(.suspend(note: note)), done: "已悬挂。") }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resume", abstract: "取消悬挂，回到原环节。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String
        func run() async throws { try await common.act([id], .workflow(.resume), done: "已恢复办理。") }
    }

    struct Supplement: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "supplement", abstract: "发起补材：会员或经办人补充指定材料后案件回到本环节。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String
        @Option(name: .customLong("item"), help: "要补充的材料项（可多次指定）。") var items: [String]
        @Option(help: "说明。") var note: String
        func run() async throws {
            try await common.act([id], .workflow(.requestSupplement(items: items, note: note)), done: "已发起补材。")
        }
    }

    struct Restrict: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "restrict", abstract: "限制名单标记：此人今后的申领都会提示审核人员。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String
        @Option(help: "原因。") var note: String?
        func run() async throws { try await common.act([id], .restrict(note: note), done: "已标记限制名单。") }
    }

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "archive", abstract: "材料归档。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String
        @Option(help: "档案号。") var number: String
        @Option(help: "备注。") var note: String?
        @Flag(name: .customLong("offline-archive"), help: "线下归档（纸质材料）。") var paper = false
        func run() async throws {
            try await common.act(
                [id], .workflow(.archive(number: number, mode: paper ? .offline : .online, note: note)),
                done: "已归档。")
        }
    }

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "push", abstract: "申领推送给财务（可批量）。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var cases: [String]
        func run() async throws { try await common.act(cases, .workflow(.push), done: "已推送。") }
    }

    struct Pay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pay", abstract: "财务支付并结案。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String
        @Option(help: "支付流水号。") var reference: String
        func run() async throws { try await common.act([id], .workflow(.pay(reference: reference)), done: "已支付，案件结案。") }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "申领撤销（推送前）。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String
        @Option(help: "原因。") var note: String
        func run() async throws { try await common.act([id], .workflow(.cancel(note: note)), done: "已撤销。") }
    }

    struct Card: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "card", abstract: "卡号修改。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String
        @Option(help: "新银行账号。") var bankAccount: String
        @Option(help: "开户银行。") var bankName: String
        @Option(help: "说明。") var note: String?
        func run() async throws {
            try await common.act(
                [id], .cardChange(bankAccount: bankAccount, bankName: bankName, note: note),
                done: "卡号已修改。")
        }
    }

    struct Reclaim: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reclaim", abstract: "申领补赔：为已结案案件新建关联案件。")
        @OptionGroup var common: Common
        @Argument(help: "已结案的案件号。") var id: String
        @Option(help: "补赔原因。") var note: String?
        func run() async throws {
            try await common.act(
                [id], .supplementaryPayment(note: note), done: "已生成补赔案件，运行 member-cli pool --step cost-entry 查看。")
        }
    }
}

enum BenefitOutput {
    static func print(_ table: BenefitView, json: Bool) {
        if json { return Printer.json(table) }
        Printer.line(table.estimate ? "申领计算（本机估算，以服务器计算为准）：" : "申领计算：")
        Printer.line("  标准\t基准金额\t基准天数\t份数\t给付比例\t互助金")
        for l in table.lines {
            Printer.line(
                "  \(l.standard)\t\(l.baseAmount)\t\(l.baseDays.map(String.init) ?? "-")\t\(l.shares)\t\(l.ratio)%\t\(l.benefit)\(l.note.map { "（\($0)）" } ?? "")"
            )
        }
        Printer.line("  合计：\(table.total) 元")
    }
}

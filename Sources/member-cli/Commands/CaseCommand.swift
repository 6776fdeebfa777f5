import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

/// Staff commands on cases. Each action is saved locally and synced at once; offline it
/// waits for the next sync, and a refusal (someone else was faster) comes back with its reason.
struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "案件办理（单位经办人、代办机构、办事处、财务）。",
        subcommands: [
            Accept.self, Show.self, Acquire.self, Release.self, PayeeEntry.self, Incident.self, Settlement.self,
            Calc.self, Submit.self, Review.self, Suspend.self, Resume.self, Supplement.self, Restrict.self,
            Archive.self, Push.self, Pay.self, Cancel.self, Card.self, Reclaim.self, Materials.self, Print.self,
        ])

    struct Common: ParsableArguments {
        @OptionGroup var options: ClientOptions
        @Flag(help: "只保存在本机，下次同步时再提交。") var offline = false

        func act(_ cases: [String], _ request: CaseRequest, done: String) async throws {
            try await options.run { client in
                let outcome = try await client.act(cases, request, online: !offline)
                report(client, cases, outcome, done: done)
            }
        }

        func report(_ client: MemberClient, _ cases: [String], _ outcome: ActionOutcome, done: String) {
            if options.json {
                let views = cases.compactMap { try? client.claim($0) }
                return Printer.json(CaseResult(outcome: outcome.rawValue, cases: views))
            }
            Printer.line(outcome == .done ? done : "已保存在本机，联网后运行 member-cli sync 提交。")
        }
    }

    struct CaseResult: Encodable {
        var outcome: String
        var cases: [ClaimView]
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "accept", abstract: "申领受理：按身份证号码选择参保记录和申领标准，生成案件。")
        @OptionGroup var common: Common
        @Option(help: "被保险人身份证号码。") var idNumber: String
        @Option(help: "申领类型。") var type: ClaimType
        @OptionGroup var draft: ClaimCommand.DraftOptions

        func run() async throws {
            try await common.options.run { client in
                let id = try client.acceptCase(idNumber: idNumber, draft.input(type: type))
                let outcome = try await client.syncChanges(records: [id], online: !common.offline)
                common.report(client, [id], outcome, done: "已受理，案件号 \((try? client.claim(id))?.caseNumber ?? "（待同步）")。")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "查看案件（本机数据）。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "案件号或申领编号。") var id: String

        func run() async throws {
            try await options.run { client in ClaimOutput.print(try client.claim(id), json: options.json, brief: false)
            }
        }
    }

    struct Acquire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "acquire", abstract: "获取案件（可批量）；获取后只有你能办理。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var cases: [String]
        func run() async throws { try await common.act(cases, .acquire, done: "已获取。") }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "release", abstract: "释放已获取的案件，放回工作池。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var cases: [String]
        func run() async throws { try await common.act(cases, .release, done: "已释放。") }
    }

    struct PayeeEntry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "payee", abstract: "费用录入：领款人。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String
        @OptionGroup var payee: PayeeOptions

        func run() async throws {
            let input = CostEntryInput(payee: payee.input)
            try await common.options.run { client in
                common.report(
                    client, [id], try await client.enterCosts(id, input, online: !common.offline), done: "领款人已保存。")
            }
        }
    }

    struct Incident: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "incident", abstract: "费用录入：出险信息。")
        @OptionGroup var common: Common
        @Argument(help: "案件号。") var id: String
        @Option(help: "被保险人状态：alive（在世）或 deceased（身故）。") var status: String?
        @Option(help: "入院日期。") var admitted: String?
        @Option(help: "出院日期。") var discharged: String?
        @Option(help: "出险日期。") var incidentDate: String?
        @Option(help: "医院。") var hospital: String?
        @Option(help: "主要诊断。") var diagnosis: String?
        @Option(name: .customLong("disability-grade"), help: "伤残等级 1–10（给付比例按服务器的伤残等级表）。") var grade: Int?
        @Option(name: .customLong("disability-ratio"), help: "直接填写伤残给付比例（百分比，如 40），须同时用 --ratio-reason 说明理由。")
        var ratio: String?
        @Option(help: "直接填写给付比例的理由（如：未定级）。") var ratioReason: String?
        @Option(name: .customLong("disability-item"), help: "伤残项目。") var item: String?
        @Option(help: "申领说明。") var note: String?

        func validate() throws {
            if let status, !["alive", "deceased"].contains(status) {
                throw ValidationError("--status 只能是 alive 或 deceased")
            }
            if let grade, DisabilityGrade.standard(grade: grade) == nil { throw ValidationError("伤残等级应为 1 到 10") }
            if let ratio, PercentText.parse(ratio) == nil {
                throw ValidationError("--disability-ratio 应为 0.01 到 100 之间、最多两位小数的百分比")
            }
            if ratio != nil, (ratioReason ?? "").allSatisfy(\.isWhitespace) {
                throw ValidationError("直接填写伤残给付比例须用 --ratio-reason 说明理由（如：未定级）")
            }
        }

        func run() async throws {
            let input = CostEntryInput(
                insuredStatus: status, admitted: admitted, discharged: discharged, incidentDate: incidentDate,
                hospital: hospital,
                diagnosis: diagnosis, disabilityItem: item, note: note, disabilityGrade: grade,
                disabilityRatio: ratio.flatMap(PercentText.parse).map {
                    .init(basisPoints: $0, reason: ratioReason ?? "")
                })
            try await common.options.run { client in
                common.report(
                    client, [id], try await client.enterCosts(id, input, online: !common.offline), done: "出险信息已保存。")
            }
        }
    }
}

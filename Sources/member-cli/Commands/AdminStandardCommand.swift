import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain
import SyncProtocol

extension Admin {
    /// 活动管理: claim standards change by effective date, never for cases already filed.
    struct Standard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "standard", abstract: "给付标准（办事处）。", subcommands: [Add.self, Edit.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add",
                abstract: "为保障活动添加给付标准；以后的规则变更用 admin standard edit 按生效日期设定。",
                discussion:
                    "例：member-cli admin standard add act-2027 --id std-2027-med --claim-type hospitalization --name 住院医疗 --method medical-ratio --ratio 70 --cap 20000"
            )
            @OptionGroup var options: ClientOptions
            @Argument(help: "保障活动编号。") var activity: String
            @Option(help: "给付标准编号（小写字母、数字和 -）。") var id: String
            @Option(help: "申领类型。") var claimType: ClaimType
            @Option(help: "标准名称。") var name: String
            @Option(help: "给付方式：medical-ratio（按比例）、daily-allowance（按日津贴）、fixed（定额）、disability-ratio（按伤残等级）。")
            var method: String
            @Option(help: "给付比例（百分数，按比例给付时必填）。") var ratio: String?
            @Option(help: "给付金额（元，定额、每日津贴或伤残基数）。") var amount: String?
            @Option(help: "每份封顶金额（元）。") var cap: String?
            @Option(help: "等待期（天）。") var waitingDays: Int?
            @Option(help: "观察期（天）。") var observationDays: Int?
            @Option(help: "观察期内的慰问金（元/份）。") var consolation: String?

            func run() async throws {
                try await options.run { client in
                    let request = NewStandardRequest(
                        id: id, claimType: claimType.rawValue, name: name, method: method, ratioBp: nil, amount: amount,
                        cap: cap, waitingDays: waitingDays, observationDays: observationDays, consolation: consolation)
                    let id = try await client.addStandard(activityId: activity, ratio: ratio, request)
                    if options.json { return Printer.json(["id": id]) }
                    Printer.line("已添加给付标准：\(id)（\(claimType.chineseName)）；各终端同步后可见。")
                }
            }
        }

        struct Edit: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "edit",
                abstract: "设定给付标准自某日起的新规则：出险或入院日期在该日及以后的申领按新规则计算，之前的不变。",
                discussion: "例：member-cli admin standard edit std-staff-med --ratio 75 --effective-from 2027-01-01")
            @OptionGroup var options: ClientOptions
            @Argument(help: "给付标准编号（member-cli catalogue 查看）。") var standard: String
            @Option(help: "新的给付比例（百分数，如 75）。") var ratio: String?
            @Option(help: "新的给付金额（元，定额或每日津贴）。") var amount: String?
            @Option(help: "新的每份封顶金额（元）。") var cap: String?
            @Option(help: "新的等待期（天）。") var waitingDays: Int?
            @Option(help: "新的观察期（天）。") var observationDays: Int?
            @Option(help: "新的观察期内慰问金（元/份）。") var consolation: String?
            @Option(help: "生效日期 YYYY-MM-DD。") var effectiveFrom: String

            func run() async throws {
                try await options.run { client in
                    let done = try await client.addStandardVersion(
                        standardId: standard, effectiveFrom: effectiveFrom, ratio: ratio, amount: amount, cap: cap,
                        waitingDays: waitingDays, observationDays: observationDays, consolation: consolation)
                    if options.json { return Printer.json(done) }
                    Printer.line("已设定：\(done.standardId) 自 \(done.effectiveFrom) 起按新规则计算；各终端同步后离线估算也按此规则。")
                }
            }
        }
    }
}

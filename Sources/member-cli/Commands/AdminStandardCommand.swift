import ArgumentParser
import Foundation
import MemberCore

extension Admin {
    /// 活动管理: claim standards change by effective date, never for cases already filed.
    struct Standard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "给付标准（办事处）。", subcommands: [Edit.self])

        struct Edit: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "设定给付标准自某日起的新规则：出险或入院日期在该日及以后的申领按新规则计算，之前的不变。",
                discussion: "例：member-cli admin standard edit std-staff-med --ratio 75 --effective-from 2027-01-01")
            @OptionGroup var options: ClientOptions
            @Argument(help: "给付标准编号（member-cli catalogue 查看）。") var standard: String
            @Option(help: "新的给付比例（百分数，如 75）。") var ratio: String?
            @Option(help: "新的给付金额（元，定额或每日津贴）。") var amount: String?
            @Option(help: "新的每份封顶金额（元）。") var cap: String?
            @Option(help: "生效日期 YYYY-MM-DD。") var effectiveFrom: String

            func run() async throws {
                try await options.run { client in
                    let done = try await client.addStandardVersion(
                        standardId: standard, effectiveFrom: effectiveFrom, ratio: ratio, amount: amount, cap: cap)
                    if options.json { return Printer.json(done) }
                    Printer.line("已设定：\(done.standardId) 自 \(done.effectiveFrom) 起按新规则计算；各终端同步后离线估算也按此规则。")
                }
            }
        }
    }
}

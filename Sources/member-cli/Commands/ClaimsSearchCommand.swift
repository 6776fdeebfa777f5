import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

/// 申领查询: every case of the account's scope across states and steps, from the replica.
struct Claims: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract: "申领查询（工作人员：本机构及下级机构的案件；会员：本人的申领）。", subcommands: [Search.self])

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "按身份证号码、姓名、案件号、单位、受理机构、申领类型、状态、受理日期和金额查询申领（先同步，离线时用本机数据）。")
        @OptionGroup var options: ClientOptions
        @Option(help: "身份证号码。") var idNumber: String?
        @Option(help: "姓名（包含即可）。") var name: String?
        @Option(help: "案件号。") var caseNumber: String?
        @Option(help: "单位名称（包含即可）。") var unit: String?
        @Option(help: "受理机构编号。") var agency: String?
        @Option(help: "申领类型，如 hospitalization。") var claimType: ClaimType?
        @Option(help: "状态，如 accepted、first-review、pending-payment、closed、rejected。") var state: CaseState?
        @Option(help: "受理日期起 YYYY-MM-DD（北京时间）。") var from: String?
        @Option(help: "受理日期止 YYYY-MM-DD（北京时间）。") var to: String?
        @Option(help: "金额下限（元，如 100.00）。") var minAmount: String?
        @Option(help: "金额上限（元）。") var maxAmount: String?
        @Option(help: "同时导出为 Excel 文件（.xlsx，身份证号码为文本列）。") var xlsx: String?
        @Flag(help: "不同步，只看本机数据。") var offline = false

        func validate() throws {
            for date in [from, to].compactMap({ $0 }) where CalendarDate(date) == nil {
                throw ValidationError("日期 \(date) 不是有效的日期，格式应为 YYYY-MM-DD")
            }
            for amount in [minAmount, maxAmount].compactMap({ $0 }) where Money(amount) == nil {
                throw ValidationError("金额 \(amount) 格式不正确，应为元，最多两位小数，如 100.00")
            }
        }

        func run() async throws {
            try await options.run { client in
                let note = try await client.syncBeforeReading(offline: offline)
                var query = ClaimQuery()
                (query.idNumber, query.name, query.caseNumber, query.unit) = (idNumber, name, caseNumber, unit)
                (query.agency, query.claimType, query.state) = (agency, claimType, state)
                query.from = from.flatMap(CalendarDate.init)
                query.to = to.flatMap(CalendarDate.init)
                query.minAmount = minAmount.flatMap(Money.init)
                query.maxAmount = maxAmount.flatMap(Money.init)
                let rows = try client.searchClaims(query)
                if let xlsx { try ListSheet.claimSearch.write(rows, to: xlsx) }
                if options.json { return Printer.json(["cases": rows]) }
                if let note { Printer.line(note) }
                Printer.line("共 \(rows.count) 件（身份证号码已部分隐藏；--json 或 --xlsx 为完整号码）：")
                for r in rows {
                    Printer.line(
                        "  \(r.caseNumber ?? "（未受理）")  \(r.stateText)  \(ClaimType(rawValue: r.claimType)?.chineseName ?? r.claimType)  "
                            + "\(r.amount.map { "\($0) 元" } ?? "未计算")  \(r.name ?? "")  \(r.idNumber.map(ResidentID.masked) ?? "")  "
                            + "\(r.unit ?? "")  受理 \(BeijingTime.text(r.acceptedAt))\(r.restricted ? "  ⚠限制名单" : "")")
                }
                if let xlsx { Printer.line("已导出到 \(xlsx)。") }
            }
        }
    }
}

extension CaseState: ExpressibleByArgument {}

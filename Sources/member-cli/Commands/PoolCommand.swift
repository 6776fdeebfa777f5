import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

struct Pool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "工作池：某一环节待处理、处理中、悬挂中的案件、参保申请或单位注册（先同步，离线时用本机数据）。",
        discussion: "参保和注册审核工作池没有悬挂，--tab suspended 时为空。")
    @OptionGroup var options: ClientOptions
    @Option(
        help: """
            环节。申领：accept, cost-entry, first-review, second-review, office-review, final-review, expert-review, \
            investigation, archive, push, payment, card-change；参保：enrolment-first-review, enrolment-second-review, \
            enrolment-final-review, invoicing, payment-check, enrolment-archive；单位注册审核：registration。
            """)
    var step: PoolChoice
    @Option(help: "标签：pending（待处理）、in-progress（处理中）、suspended（悬挂中）。") var tab: PoolTab?
    @Option(help: "受理机构（参保、注册：所属机构）编号。") var agency: String?
    @Option(help: "单位名称（包含即可）。") var unit: String?
    @Option(help: "身份证号码（申领）。") var idNumber: String?
    @Option(help: "案件号（申领）。") var caseNumber: String?
    @Option(help: "申领类型（申领）。") var claimType: ClaimType?
    @Option(help: "受理日期（参保、注册：申请日期）起 YYYY-MM-DD。") var from: String?
    @Option(help: "受理日期（参保、注册：申请日期）止 YYYY-MM-DD。") var to: String?
    @Option(name: .customLong("operator"), help: "经办人登录名（处理中的案件）。") var holder: String?
    @Option(help: "同时导出为 Excel 文件（.xlsx，身份证号码为文本列）。") var xlsx: String?
    @Flag(help: "不同步，只看本机数据。") var offline = false

    func validate() throws {
        for date in [from, to].compactMap({ $0 }) where CalendarDate(date) == nil {
            throw ValidationError("日期格式应为 YYYY-MM-DD")
        }
        if case .enrolment(let step) = step, idNumber != nil || caseNumber != nil || claimType != nil {
            throw ValidationError(
                "--id-number、--case-number、--claim-type 只用于申领工作池，「\(step.chineseName)」工作池请用 --agency、--unit、--from、--to"
            )
        }
    }

    func run() async throws {
        try await options.run { client in
            let note = try await client.syncBeforeReading(offline: offline)
            let filter = PoolFilter(
                tab: tab, agency: agency, unit: unit, idNumber: idNumber, caseNumber: caseNumber,
                claimType: claimType, acceptedFrom: from.flatMap(CalendarDate.init),
                acceptedTo: to.flatMap(CalendarDate.init), holder: holder)
            let step: PoolStep
            switch self.step {
            case .claim(let claimStep): step = claimStep
            case .enrolment(let enrolmentStep):
                return try EnrolmentPoolOutput.show(
                    client, enrolmentStep, filter: filter, note: note, json: options.json, xlsx: xlsx)
            }
            let cases = try client.pool(step, filter: filter)
            if let xlsx {
                // The list shows ID numbers masked; the file, like 申领查询's, holds them whole.
                let whole = Dictionary(
                    try client.searchClaims(ClaimQuery()).map { ($0.id, $0.idNumber) }, uniquingKeysWith: { a, _ in a })
                try PoolExport.write(cases, wholeIds: whole.compactMapValues { $0 }, step: step, to: xlsx)
            }
            if options.json { return Printer.json(["cases": cases]) }
            if let note { Printer.line(note) }
            Printer.line("\(step.chineseName)工作池：\(cases.count) 件")
            for c in cases {
                Printer.line(
                    "  \(c.caseNumber ?? c.id.prefix(8) + "…")  \(PoolTab(rawValue: c.tab)?.chineseName ?? c.tab)  "
                        + "\(ClaimType(rawValue: c.claimType)?.chineseName ?? c.claimType)  \(c.amount.map { "\($0) 元" } ?? "未计算")  "
                        + "\(c.unit ?? "")  \(c.holder.map { "经办：\($0)" } ?? "")\(c.restricted ? "  ⚠限制名单" : "")")
            }
        }
    }
}

enum PoolExport {
    static func write(_ cases: [PoolCase], wholeIds: [String: String], step: PoolStep, to path: String) throws {
        try ListExport.write(
            path, sheet: step.chineseName,
            columns: [
                .init("案件号", width: 26, text: true), .init("标签", width: 10), .init("状态", width: 12),
                .init("申领类型", width: 12), .init("金额（元）", width: 12), .init("姓名", width: 10),
                .init("身份证号码", width: 22, text: true), .init("单位", width: 28), .init("经办人", width: 12),
                .init("受理时间（北京时间）", width: 20), .init("限制名单", width: 10),
            ],
            rows: cases.map { c in
                [
                    c.caseNumber ?? "", PoolTab(rawValue: c.tab)?.chineseName ?? c.tab, c.stateText,
                    ClaimType(rawValue: c.claimType)?.chineseName ?? c.claimType, c.amount ?? "", c.insuredName ?? "",
                    wholeIds[c.id] ?? c.idNumber ?? "", c.unit ?? "", c.holder ?? "",
                    c.acceptedAt.map { BeijingTime.text($0) } ?? "",
                    c.restricted ? "是" : "",
                ]
            })
    }
}

extension PoolStep: ExpressibleByArgument {}
extension PoolTab: ExpressibleByArgument {}
extension ReviewDecision: ExpressibleByArgument {}

import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

/// 参保查询 / 既往申领: what reviewers look at before deciding on a person's claim.
struct Insured: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insured",
        abstract: "参保查询：按身份证号码查看参保记录（活动、保障期间）与既往申领，标出限制名单（先同步，离线时用本机数据）。")
    @OptionGroup var options: ClientOptions
    @Argument(help: "身份证号码。") var idNumber: String
    @Flag(help: "不同步，只看本机数据。") var offline = false
    @OptionGroup var export: XLSXExport

    func run() async throws {
        try await options.run { client in
            let note = try await client.syncBeforeReading(offline: offline)
            let record = try client.insuredRecord(idNumber: idNumber)
            try export.write(.claimSearch, record.claims)  // 既往申领 as a spreadsheet
            if options.json { return Printer.json(record) }
            if let note { Printer.line(note) }
            Printer.line("\(record.name ?? "（本机无此人记录）")  \(ResidentID.masked(record.idNumber))")
            if record.restricted { Printer.line("⚠ 此人在限制名单中，审核时请留意。") }
            Printer.line("参保记录 \(record.enrolments.count) 条：")
            for e in record.enrolments {
                let renewal = e.renewal ? "  续保" : ""
                Printer.line("  \(e.activity)  \(e.periodStart) 至 \(e.periodEnd)  \(e.shares) 份  \(e.unit)\(renewal)")
            }
            Printer.line("既往申领 \(record.claims.count) 件：")
            for c in record.claims {
                let type = ClaimType(rawValue: c.claimType)?.chineseName ?? c.claimType
                let amount = c.amount.map { "\($0) 元" } ?? "未计算"
                let flag = c.restricted ? "  ⚠限制名单" : ""
                Printer.line(
                    "  \(c.caseNumber ?? "（未受理）")  \(c.stateText)  \(type)  \(amount)  受理 \(BeijingTime.text(c.acceptedAt))\(flag)"
                )
            }
        }
    }
}

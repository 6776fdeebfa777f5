import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

/// 申领付款 and 到账查询 (finance): the bank payment file out, the bank's results back in.
struct PaymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment", abstract: "申领付款与到账查询（财务）：导出银行付款文件、导入银行支付结果、查询付款。",
        subcommands: [Export.self, Import.self, List.self])

    struct Filters: ParsableArguments {
        @Option(help: "受理机构编号。") var agency: String?
        @Option(help: "单位名称（包含即可）。") var unit: String?
        @Option(help: "申领类型，如 hospitalization。") var claimType: ClaimType?
        @Option(help: "日期起 YYYY-MM-DD（北京时间；待支付为推送或改卡日期，已支付为支付日期）。") var from: String?
        @Option(help: "日期止 YYYY-MM-DD（北京时间）。") var to: String?

        func validate() throws {
            for date in [from, to].compactMap({ $0 }) where CalendarDate(date) == nil {
                throw ValidationError("日期 \(date) 不是有效的日期，格式应为 YYYY-MM-DD")
            }
        }

        func query(state: PaymentState? = nil) -> PaymentQuery {
            PaymentQuery(
                agency: agency, unit: unit, claimType: claimType, state: state, from: from.flatMap(CalendarDate.init),
                to: to.flatMap(CalendarDate.init))
        }
    }

    /// Syncs first so the file and the list show the server's latest; offline, the replica.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "导出待支付案件的银行付款文件（.xlsx：案件号、领款人、银行账号、开户银行、金额，留空的支付结果、银行流水号、失败原因由银行填写）。")
        @OptionGroup var options: ClientOptions
        @Option(help: "付款文件（.xlsx）。") var out: String
        @OptionGroup var filters: Filters

        func run() async throws {
            try await options.run { client in
                let note = try await client.syncBeforeReading()
                let export = try client.exportPayments(to: out, filters.query())
                if options.json { return Printer.json(export) }
                if let note { Printer.line(note) }
                Printer.line("已导出 \(export.count) 件待支付案件，合计 \(export.total) 元，文件：\(export.file)。")
                if !export.incomplete.isEmpty {
                    Printer.line("以下案件领款人信息不全，未导出（请先办理卡号修改）：\(export.incomplete.joined(separator: "、"))")
                }
                Printer.line("银行填写“支付结果”（成功/失败）、“银行流水号”和“失败原因”后，运行 member-cli payment import 文件 导入。")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "导入银行返回的付款结果：成功的案件支付结案，失败的案件退回卡号修改；文件有任何错误则整份不导入。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "银行返回的付款文件（.xlsx）。") var file: String

        func run() async throws {
            try await options.run { client in
                let result = try await client.importPayments(URL(fileURLWithPath: file))
                if options.json { return Printer.json(result) }
                Printer.line(
                    "支付成功 \(result.paid.count) 件，支付失败 \(result.failed.count) 件，此前已处理 \(result.unchanged.count) 件。")
                for r in result.failed { Printer.line("  失败：\(r.caseNumber)  \(r.detail)（已退回卡号修改）") }
                for r in result.unchanged { Printer.line("  第\(r.row)行 \(r.caseNumber)：\(r.detail)，未重复处理") }
                if result.outcome == .queued { Printer.line("已保存在本机，联网后运行 member-cli sync 提交。") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "到账查询：按日期、受理机构和支付状态列出付款（先同步，离线时用本机数据）。")
        @OptionGroup var options: ClientOptions
        @OptionGroup var filters: Filters
        @Option(help: "支付状态：paid（已支付）、failed（支付失败）、pending（待支付）。") var state: PaymentState?
        @Option(help: "同时导出为 Excel 文件（.xlsx，账号为文本列）。") var xlsx: String?

        func run() async throws {
            try await options.run { client in
                let note = try await client.syncBeforeReading()
                let rows = try client.payments(filters.query(state: state))
                if let xlsx { try PaymentListExport.write(rows, to: xlsx) }
                if options.json { return Printer.json(["payments": rows]) }
                if let note { Printer.line(note) }
                let total = rows.compactMap { Money($0.amount) }.reduce(Money.zero, +)
                Printer.line("共 \(rows.count) 笔，合计 \(total) 元（账号已部分隐藏；--json 或 --xlsx 为完整账号）：")
                for r in rows {
                    let account = r.bankAccount.map { "****" + $0.suffix(4) } ?? "未填写"
                    Printer.line(
                        "  \(r.caseNumber)  \(r.stateText)  \(r.amount) 元  \(r.payeeName ?? "")  \(account) \(r.bankName ?? "")  "
                            + "\(BeijingTime.text(r.at))\(r.reference.map { "  流水号 \($0)" } ?? "")"
                            + "\(r.failure.map { "  失败原因：\($0)" } ?? "")")
                }
                if let xlsx { Printer.line("已导出到 \(xlsx)。") }
            }
        }
    }
}

enum PaymentListExport {
    static func write(_ rows: [PaymentRow], to path: String) throws {
        try ListExport.write(
            path, sheet: "到账查询",
            columns: [
                .init("案件号", width: 26, text: true), .init("支付状态", width: 10), .init("金额（元）", width: 12),
                .init("领款人", width: 12), .init("银行账号", width: 24, text: true), .init("开户银行", width: 22),
                .init("日期（北京时间）", width: 18), .init("银行流水号", width: 26, text: true), .init("失败原因", width: 30),
                .init("受理机构", width: 12), .init("单位", width: 28),
            ],
            rows: rows.map { r in
                [
                    r.caseNumber, r.stateText, r.amount, r.payeeName ?? "", r.bankAccount ?? "", r.bankName ?? "",
                    r.at.map { BeijingTime.text($0) } ?? "", r.reference ?? "", r.failure ?? "", r.agency ?? "",
                    r.unit ?? "",
                ]
            })
    }
}

extension PaymentState: ExpressibleByArgument {}

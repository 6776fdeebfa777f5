import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

/// 确认书打印: print a letter with its 《会员名单》, or list the letters printed or not.
struct Letter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "letter",
        abstract: "参保确认书：打印（默认）或按打印状态、确认日期列出。", subcommands: [Print.self, List.self],
        defaultSubcommand: Print.self)

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "print",
            abstract: "打印参保确认书及所附《会员名单》（PDF，离线可用；打印次数同步到服务器）。")
        @OptionGroup var work: WorkOptions
        @Argument(help: "确认书编号（G 开头）。") var number: String
        @Option(help: "保存为 PDF 文件。") var out: String

        func run() async throws {
            try await work.perform(
                done: "确认书已写入 \(out)。",
                {
                    try await $0.printLetter(number, to: URL(fileURLWithPath: out), online: !work.offline)
                }, view: { try $0.enrolmentApplication(number) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "确认书打印信息：未打印或已打印的确认书，可按确认日期（北京时间）筛选（先同步，离线时用本机数据）。")
        @OptionGroup var options: ClientOptions
        @Flag(help: "只列未打印（--unprinted）或已打印（--printed）的确认书。") var status: PrintStatus?
        @Option(help: "确认日期起 YYYY-MM-DD。") var from: String?
        @Option(help: "确认日期止 YYYY-MM-DD。") var to: String?
        @Option(help: "同时导出为 Excel 文件（.xlsx，确认书号为文本列）。") var xlsx: String?
        @Flag(help: "不同步，只看本机数据。") var offline = false

        enum PrintStatus: String, EnumerableFlag { case printed, unprinted }

        func validate() throws {
            for date in [from, to].compactMap({ $0 }) where CalendarDate(date) == nil {
                throw ValidationError("日期 \(date) 不是有效的日期，格式应为 YYYY-MM-DD")
            }
            if let xlsx, URL(fileURLWithPath: xlsx).pathExtension.lowercased() != "xlsx" {
                throw ValidationError("导出文件名应以 .xlsx 结尾")
            }
        }

        func run() async throws {
            try await options.run { client in
                let note = try await client.syncBeforeReading(offline: offline)
                let rows = try client.letters(
                    printed: status.map { $0 == .printed }, from: from.flatMap(CalendarDate.init),
                    to: to.flatMap(CalendarDate.init))
                if let xlsx { try Self.export(rows, to: xlsx) }
                if options.json { return Printer.json(["letters": rows]) }
                if let note { Printer.line(note) }
                Printer.line("共 \(rows.count) 份确认书：")
                for r in rows {
                    Printer.line(
                        "  \(r.letterNumber)  \(r.printText)（\(r.printCount) 次）  \(r.unitName)  \(r.activities.joined(separator: "、"))  "
                            + "生效 \(r.effective ?? "—")  确认 \(r.confirmed ?? "—")  会费 \(r.fee) 元")
                }
                if let xlsx { Printer.line("已导出到 \(xlsx)。") }
            }
        }

        static func export(_ rows: [LetterListRow], to path: String) throws {
            try ListExport.write(
                path, sheet: "确认书打印",
                columns: [
                    .init("确认书号", width: 26, text: true), .init("参保单位", width: 28), .init("保障活动名称", width: 40),
                    .init("打印状态", width: 10), .init("打印次数", width: 10), .init("生效日期", width: 12),
                    .init("确认日期", width: 12), .init("会费（元）", width: 12),
                ],
                rows: rows.map {
                    [
                        $0.letterNumber, $0.unitName, $0.activities.joined(separator: "、"), $0.printText,
                        String($0.printCount), $0.effective ?? "", $0.confirmed ?? "", $0.fee.description,
                    ]
                })
        }
    }
}

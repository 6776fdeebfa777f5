import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

/// 统计: figures of the account's scope from the replica, beside the fee dashboard.
struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "统计报表（工作人员；本机构及下级机构，本机数据）。", subcommands: [ClaimsReport.self])

    struct ClaimsReport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "claims",
            abstract: "申领统计：某年按受理日期（北京时间）的受理件数、申领金额、结案金额，按代办机构、申领类型或月份分组，与上年同期比较。")
        @OptionGroup var options: ClientOptions
        @Option(help: "年份（默认今年；今年只统计到今天，上年同期也到同一天）。") var year: Int?
        @Option(help: "分组：agency（代办机构）、claim-type（申领类型）、month（月份）。") var by: ClaimStatistics.Grouping = .agency
        @Option(help: "另存为 CSV 文件。") var csv: String?
        @Option(help: "另存为 Excel 文件（.xlsx）。") var xlsx: String?
        @Flag(help: "不同步，只看本机数据。") var offline = false

        func validate() throws {
            if let year, !(2000...2100).contains(year) { throw ValidationError("年份 \(year) 不在 2000–2100 之间") }
            if let xlsx, URL(fileURLWithPath: xlsx).pathExtension.lowercased() != "xlsx" {
                throw ValidationError("导出文件名应以 .xlsx 结尾")
            }
        }

        func run() async throws {
            let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
            let year = year ?? today.year
            try await options.run { client in
                let note = try await client.syncBeforeReading(offline: offline)
                let report = try client.claimStatistics(year: year, through: year == today.year ? today : nil, by: by)
                if let csv {
                    do {
                        try Data(ClaimStatistics.csv(report).utf8).write(
                            to: URL(fileURLWithPath: csv), options: .atomic)
                    } catch {
                        throw ClientError.io("无法写入文件 \(csv)，请检查目录是否存在、是否有写权限")
                    }
                }
                if let xlsx {
                    let header = ClaimStatistics.header(report.grouping)
                    try ListExport.write(
                        xlsx, sheet: "申领统计\(year)",
                        columns: header.enumerated().map { .init($1, width: $0 == 0 ? 24 : 16, text: $0 == 0) },
                        rows: ClaimStatistics.lines(report))
                }
                if options.json { return Printer.json(report) }
                if let note { Printer.line(note) }
                Printer.line(
                    "\(year) 年申领统计（按受理日期 \(report.from)至\(report.to)，上年同期 \(report.previousFrom)至\(report.previousTo)）")
                Printer.line(ClaimStatistics.header(report.grouping).joined(separator: "\t"))
                for line in ClaimStatistics.lines(report) { Printer.line(line.joined(separator: "\t")) }
                if report.total.count == 0 && report.total.previousCount == 0 { Printer.line("（这段时间没有受理的申领）") }
                for file in [csv, xlsx].compactMap({ $0 }) { Printer.line("已另存为 \(file)") }
            }
        }
    }
}

extension ClaimStatistics.Grouping: ExpressibleByArgument {}

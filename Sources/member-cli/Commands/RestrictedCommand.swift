import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain
import SyncProtocol

/// 限制名单: the persons whose claims reviewers must look at closely, and the office taking
/// one off the list. Online: the list spans every unit of the scope.
struct Restricted: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restricted",
        abstract: "限制名单：查看（代办机构、办事处，本机构及下级）与解除（办事处）。", subcommands: [List.self, Unmark.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "列出限制名单中的人员（身份证号码已部分隐藏；--json 或 --xlsx 为完整号码）。")
        @OptionGroup var options: ClientOptions
        @Flag(help: "改为列出已解除的记录（解除人、时间、说明）。") var lifted = false
        @Option(help: "同时导出为 Excel 文件（.xlsx，身份证号码为文本列）。") var xlsx: String?

        func validate() throws {
            if let xlsx, URL(fileURLWithPath: xlsx).pathExtension.lowercased() != "xlsx" {
                throw ValidationError("导出文件名应以 .xlsx 结尾")
            }
        }

        func run() async throws {
            try await options.run { client in
                let persons = try await client.restrictedPersons(lifted: lifted)
                if let xlsx { try Self.export(persons, to: xlsx, lifted: lifted) }
                if options.json { return Printer.json(["persons": persons]) }
                Printer.line(lifted ? "已解除限制的记录 \(persons.count) 条：" : "限制名单 \(persons.count) 人：")
                for p in persons {
                    Printer.line(
                        "  \(p.name ?? "")  \(ResidentID.masked(p.idNumber))  \(p.unitName ?? "")  "
                            + "标记 \(BeijingTime.text(p.markedAt))（\(p.markedBy)）\(p.note.map { "：\($0)" } ?? "")")
                    if let liftedAt = p.liftedAt {
                        Printer.line("    解除 \(BeijingTime.text(liftedAt))（\(p.liftedBy ?? "")）：\(p.liftNote ?? "")")
                    }
                    if !p.cases.isEmpty { Printer.line("    案件：\(p.cases.joined(separator: "、"))") }
                }
                if let xlsx { Printer.line("已导出到 \(xlsx)。") }
            }
        }

        static func export(_ persons: [RestrictedPerson], to path: String, lifted: Bool) throws {
            var columns: [ListExport.Column] = [
                .init("姓名", width: 10), .init("身份证号码", width: 22, text: true), .init("单位", width: 28),
                .init("标记说明", width: 30), .init("标记人", width: 14), .init("标记时间（北京时间）", width: 20),
                .init("案件号", width: 40, text: true),
            ]
            if lifted {
                columns += [.init("解除人", width: 14), .init("解除时间（北京时间）", width: 20), .init("解除说明", width: 30)]
            }
            try ListExport.write(
                path, sheet: lifted ? "已解除限制" : "限制名单", columns: columns,
                rows: persons.map { p in
                    [
                        p.name ?? "", p.idNumber, p.unitName ?? "", p.note ?? "", p.markedBy,
                        BeijingTime.text(p.markedAt),
                        p.cases.joined(separator: "、"),
                    ] + (lifted ? [p.liftedBy ?? "", BeijingTime.text(p.liftedAt), p.liftNote ?? ""] : [])
                })
        }
    }

    struct Unmark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unmark",
            abstract: "解除限制名单（办事处）：须说明原因；此人之后的申领不再标记，在办案件的标记一并解除。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "身份证号码。") var idNumber: String
        @Option(help: "解除原因（必填，不超过200字）。") var note: String

        func run() async throws {
            try await options.run { client in
                let person = try await client.liftRestriction(idNumber: idNumber, note: note)
                if options.json { return Printer.json(person) }
                Printer.line("已将 \(person.name ?? "") \(ResidentID.masked(person.idNumber)) 移出限制名单。")
            }
        }
    }
}

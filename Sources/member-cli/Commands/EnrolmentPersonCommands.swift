import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

/// 人员清单详情/修改: the rows of an application's lists before it is submitted.
extension EnrolmentCommand {
    struct Persons: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "persons", abstract: "查看参保申请的人员清单（离线可用）。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "参保申请编号。") var id: String
        @Option(help: "只看该保障活动的清单。") var activity: String?
        @Option(help: "同时导出为 Excel 文件（.xlsx，身份证号码为文本列）。") var xlsx: String?

        func run() async throws {
            try await options.run { client in
                let persons = try client.listedPersons(id, activityId: activity)
                if let xlsx {
                    // The file, like the list imported, holds ID numbers whole.
                    try ListExport.write(
                        xlsx, sheet: "参保人员",
                        columns: [
                            .init("保障活动", width: 28), .init("序号", width: 8), .init("姓名", width: 12),
                            .init("身份证号码", width: 24, text: true), .init("手机号码", width: 16, text: true),
                        ],
                        rows: persons.map {
                            [$0.activityName, $0.rowNumber.map(String.init) ?? "", $0.name, $0.idNumber, $0.mobile]
                        })
                }
                if options.json { return Printer.json(["persons": persons]) }
                guard !persons.isEmpty else { return Printer.line("人员清单为空。") }
                for p in persons {
                    Printer.line(
                        "\(p.activityName)  \(p.removal ? "减员" : p.rowNumber.map { "第\($0)行" } ?? "手工添加")  \(p.name)  \(ResidentID.masked(p.idNumber))  \(p.mobile)"
                    )
                }
                Printer.line("共 \(persons.count) 人。")
            }
        }
    }

    struct PersonEdit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "person-edit",
            abstract: "修改人员清单中的一行（提交前或退回后；离线可用）。", discussion: "按与导入相同的规则检查；不合规时不做任何修改。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "参保申请编号。") var id: String
        @Option(help: "要修改的人员的身份证号码。") var idNumber: String
        @Option(help: "只改该保障活动清单中的这一行（默认改该人员所在的所有清单）。") var activity: String?
        @Option(help: "改正后的姓名。") var name: String?
        @Option(help: "改正后的身份证号码。") var newIdNumber: String?
        @Option(help: "改正后的手机号码。") var mobile: String?

        func run() async throws {
            try await options.run { client in
                let rows = try client.correctPerson(
                    id, idNumber: idNumber, activityId: activity,
                    PersonListEdit.Correction(name: name, idNumber: newIdNumber, mobile: mobile))
                if options.json { return Printer.json(["persons": rows]) }
                Printer.line("已修改 \(rows.count) 行，提交时一并同步。")
            }
        }
    }

    struct PersonRemove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "person-remove", abstract: "从人员清单中删除一人（提交前或退回后；离线可用）。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "参保申请编号。") var id: String
        @Option(help: "要删除的人员的身份证号码。") var idNumber: String
        @Option(help: "只从该保障活动的清单中删除（默认从所有清单中删除）。") var activity: String?

        func run() async throws {
            try await options.run { client in
                let removed = try client.removePerson(id, idNumber: idNumber, activityId: activity)
                if options.json { return Printer.json(["removed": removed]) }
                Printer.line("已删除 \(removed) 行，提交时一并同步。")
            }
        }
    }
}

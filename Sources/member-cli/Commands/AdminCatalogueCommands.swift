import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain
import SyncProtocol

/// 活动管理 and 申领材料 (the office): new activities and standards, and the material checklist
/// of each claim type. Every device receives the change with the catalogue at its next sync.
extension Admin {
    struct Activity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "activity", abstract: "保障活动（办事处）。", subcommands: [Add.self, Edit.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add",
                abstract: "新建保障活动；随后用 admin standard add 为它添加给付标准。",
                discussion: "会费一经设定不再修改（已按它计费的参保申请保持正确）；新年度的会费请新建一个保障活动。")
            @OptionGroup var options: ClientOptions
            @Argument(help: "活动编号（小写字母、数字和 -）。") var id: String
            @Option(help: "活动名称。") var name: String
            @Option(help: "活动细类。") var subtype: String
            @Option(help: "标准会费（元/份）。") var fee: String
            @Option(help: "最低参保率（百分数，如 60）。") var minRate: Int

            func run() async throws {
                try await options.run { client in
                    let id = try await client.addActivity(
                        id: id, name: name, subtype: subtype, fee: fee, minRatePercent: minRate)
                    if options.json { return Printer.json(["id": id]) }
                    Printer.line("已新建保障活动：\(id) \(name)；各终端同步后可见。")
                }
            }
        }

        struct Edit: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "edit", abstract: "修改保障活动的名称、细类或最低参保率。")
            @OptionGroup var options: ClientOptions
            @Argument(help: "活动编号。") var id: String
            @Option(help: "新名称。") var name: String?
            @Option(help: "新细类。") var subtype: String?
            @Option(help: "新的最低参保率（百分数）。") var minRate: Int?

            func run() async throws {
                try await options.run { client in
                    let id = try await client.changeActivity(
                        id: id, ActivityChangeRequest(name: name, subtype: subtype, minEnrolmentRatePercent: minRate))
                    if options.json { return Printer.json(["id": id]) }
                    Printer.line("已修改保障活动：\(id)")
                }
            }
        }
    }

    struct Checklist: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checklist",
            abstract: "申领材料清单（办事处维护；列出离线可用）。", subcommands: [List.self, Set.self, Remove.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "列出某申领类型的材料清单（本机数据）。")
            @OptionGroup var options: ClientOptions
            @OptionGroup var export: XLSXExport
            @Argument(help: "申领类型。") var claimType: ClaimType

            func run() async throws {
                try await options.run { client in
                    let lines = try client.materialChecklist(claimType)
                    try export.write(.checklist, lines)
                    if options.json { return Printer.json(["items": lines]) }
                    Printer.line("\(claimType.chineseName)材料清单：")
                    for l in lines {
                        Printer.line("  \(l.item)  \(l.name)  \(l.required ? "必需" : "非必需")  最多 \(l.maxCount) 份")
                    }
                }
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "set",
                abstract: "添加或修改一项材料；新的必需材料对此后提交的申领生效。",
                discussion: "例：member-cli admin checklist set hospitalization invoice --name 住院发票 --required --max 5")
            @OptionGroup var options: ClientOptions
            @Argument(help: "申领类型。") var claimType: ClaimType
            @Argument(help: "材料编号（小写字母、数字和 -）。") var item: String
            @Option(help: "材料名称。") var name: String
            @Flag(help: "必需（--required）或非必需（--optional，默认）。") var need: Need = .optional
            @Option(help: "最多可上传份数（1 到 20）。") var max: Int = 1
            @Option(help: "在清单中的位置（默认排在最后）。") var order: Int?

            enum Need: EnumerableFlag { case required, optional }

            func run() async throws {
                try await options.run { client in
                    let line = MaterialRequirement(item: item, name: name, required: need == .required, maxCount: max)
                    let id = try await client.setMaterialItem(claimType: claimType, line, sortOrder: order)
                    if options.json { return Printer.json(["id": id]) }
                    Printer.line("已保存：\(claimType.chineseName) · \(name)（\(need == .required ? "必需" : "非必需")）")
                }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "remove", abstract: "删除一项从未被使用的材料（已有申领上传的只能改为非必需）。")
            @OptionGroup var options: ClientOptions
            @Argument(help: "申领类型。") var claimType: ClaimType
            @Argument(help: "材料编号。") var item: String

            func run() async throws {
                try await options.run { client in
                    let id = try await client.removeMaterialItem(claimType: claimType, item: item)
                    if options.json { return Printer.json(["id": id]) }
                    Printer.line("已删除：\(id)")
                }
            }
        }
    }

    struct Grade: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grade",
            abstract: "伤残等级表（办事处维护；列出离线可用）。", subcommands: [List.self, Set.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "列出伤残等级表（本机数据）。")
            @OptionGroup var options: ClientOptions
            @OptionGroup var export: XLSXExport

            func run() async throws {
                try await options.run { client in
                    let grades = try client.disabilityGrades()
                    try export.write(.grades, grades)
                    if options.json { return Printer.json(["grades": grades]) }
                    for g in grades {
                        Printer.line(
                            "  \(g.grade) 级  \(g.itemName)  给付比例 \(PercentText.format(basisPoints: g.ratioBasisPoints))%"
                        )
                    }
                }
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "set",
                abstract: "设定某一伤残等级的名称和给付比例；有未结案的案件按该等级计算时不能修改。",
                discussion: "例：member-cli admin grade set 10 --name 十级伤残 --ratio 10")
            @OptionGroup var options: ClientOptions
            @Argument(help: "伤残等级（1 到 10）。") var grade: Int
            @Option(help: "等级名称。") var name: String
            @Option(help: "给付比例（百分数）。") var ratio: String

            func run() async throws {
                try await options.run { client in
                    let id = try await client.setDisabilityGrade(grade, name: name, ratio: ratio)
                    if options.json { return Printer.json(["id": id]) }
                    Printer.line("已设定 \(grade) 级：\(name)，给付比例 \(ratio)%；各终端同步后生效。")
                }
            }
        }
    }
}

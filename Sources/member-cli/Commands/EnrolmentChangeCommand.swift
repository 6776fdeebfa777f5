import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

/// 变更管理 / 增减员: a change application on a confirmed application.
extension EnrolmentCommand {
    struct ChangeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "change", abstract: "增减员：对已确认的参保申请新建变更申请（离线可用），之后用 enrolment submit 提交审核。",
            discussion: """
                增员按每份标准会费 × 份数全额计收（保障期至原确认书的保障期满为止）；减员不退会费，保障至变更确认当日24时。
                变更申请与参保申请一样经初审、复审、开票（差额）、到账确认，确认后原确认书列出本次变更。
                """)
        @OptionGroup var options: ClientOptions
        @Argument(help: "原参保申请编号或确认书编号。") var id: String
        @Option(help: "增员或减员的保障活动（原申请有多个保障活动时增员必填）。") var activity: String?
        @Option(help: "从人员清单文件增员（xlsx 或 csv，与导入相同的模板）。") var add: String?
        @Option(help: "逐个增员：姓名,身份证号码,手机号码（可多次指定）。") var addPerson: [String] = []
        @Option(help: "减员：身份证号码（可多次指定）。") var remove: [String] = []

        func validate() throws {
            guard add != nil || !addPerson.isEmpty || !remove.isEmpty else {
                throw ValidationError("请用 --add 文件、--add-person 或 --remove 指定增员或减员人员")
            }
        }

        func run() async throws {
            try await options.run { client in
                let changeId = try client.newChange(
                    id, activityId: activity, addFile: add.map { URL(fileURLWithPath: $0) }, add: addPerson,
                    remove: remove)
                let view = try client.enrolmentApplication(changeId)
                if options.json { return Printer.json(ChangeResult(id: changeId, change: view)) }
                let removed = try client.listedPersons(changeId).filter(\.removal).count
                Printer.line(
                    "已新建变更申请 \(changeId)：增员 \(view.lines.reduce(0) { $0 + $1.listed }) 人，减员 \(removed) 人，补交会费 \(view.feeTotal) 元。"
                )
                Printer.line("下一步：member-cli enrolment submit \(changeId)")
            }
        }

        struct ChangeResult: Encodable {
            var id: String
            var change: EnrolmentApplicationView
        }
    }
}

import ArgumentParser
import Foundation
import MemberCore

extension CaseCommand {
    /// 打印管理: the 申领审批表 of a case as PDF, from this device's data (offline too).
    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "print",
            abstract: "打印申领审批表（PDF：会员与参保、领款人、费用结算单、互助金计算、大小写合计、审批记录；本机数据，离线可用）。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "案件号。") var caseNumber: String
        @Option(help: "输出的 PDF 文件。") var out: String

        func validate() throws {
            guard out.lowercased().hasSuffix(".pdf") else { throw ValidationError("--out 的文件名应以 .pdf 结尾") }
        }

        func run() async throws {
            try await options.run { client in
                let data = try client.caseForm(caseNumber)
                let url = URL(fileURLWithPath: out)
                do { try data.write(to: url, options: .atomic) } catch {
                    throw ClientError.io("无法写入文件 \(url.lastPathComponent)，请检查目录是否存在、是否有写权限")
                }
                if options.json { return Printer.json(["path": url.path, "bytes": String(data.count)]) }
                Printer.line("已生成申领审批表：\(url.path)")
            }
        }
    }
}

import ArgumentParser
import Foundation
import MemberCore

extension CaseCommand {
    /// 材料查看 for reviewers: list, export (--out) and print (--pdf) a case's materials.
    struct Materials: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "materials",
            abstract: "材料查看：列出案件的材料；--out 下载并写出文件，--pdf 生成材料汇总 PDF。",
            discussion: """
                文件按登记的 SHA-256 校验后加密保存在本机，之后无需联网即可再次写出或打印。
                不指定 --out 和 --pdf 时只列出材料及是否已下载到本机（不联网）。
                """)
        @OptionGroup var options: ClientOptions
        @Argument(help: "案件号。") var id: String
        @Option(help: "把材料文件写入此目录（<材料项>-<序号>.<扩展名>）。") var out: String?
        @Option(help: "生成材料汇总 PDF（图片并入，PDF 材料另附），每页印有案件号。") var pdf: String?

        func run() async throws {
            try await options.run { client in
                guard out != nil || pdf != nil else { return list(try client.caseMaterials(id)) }
                var export: MaterialExport?
                if let out {
                    export = try await client.exportCaseMaterials(id, to: URL(fileURLWithPath: out, isDirectory: true))
                }
                var report: MaterialBundleReport?
                if let pdf { report = try await client.caseMaterialsPDF(id, to: URL(fileURLWithPath: pdf)) }
                if options.json {
                    return Printer.json(Output(files: export?.files ?? [], pdf: report?.path))
                }
                if let export { describe(export) }
                if let report { describe(report) }
            }
        }

        /// `{"files": [...]}`, the contract; "pdf" only when one was made.
        struct Output: Encodable {
            var files: [ExportedMaterial]
            var pdf: String?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(files, forKey: .files)
                try container.encodeIfPresent(pdf, forKey: .pdf)
            }

            enum CodingKeys: String, CodingKey { case files, pdf }
        }

        func list(_ materials: CaseMaterials) {
            if options.json { return Printer.json(materials) }
            Printer.line("案件号：\(materials.caseNumber ?? "（待分配）")  材料 \(materials.materials.count) 份")
            for m in materials.materials {
                let state = m.fetched ? "已下载到本机" : m.onServer ? "未下载（需联网）" : "服务器尚未收到"
                Printer.line("  \(m.name) 第 \(m.number) 份  \(m.size)  \(state)")
            }
            if materials.materials.contains(where: { !$0.fetched && $0.onServer }) {
                Printer.line("下载：member-cli case materials \(id) --out <目录>")
            }
        }

        func describe(_ export: MaterialExport) {
            Printer.line("已写出 \(export.files.count) 个文件（均已按 SHA-256 校验）：")
            for file in export.files { Printer.line("  \(file.name)  \(file.size)  \(file.path)") }
            waiting(export.waiting)
        }

        func describe(_ report: MaterialBundleReport) {
            Printer.line("材料汇总已生成：\(report.path)（并入图片 \(report.embedded.count) 份）")
            for (material, reason) in report.separate {
                Printer.line("  未并入：\(material.name) 第 \(material.number) 份，\(reason)；请另附 \(material.fileName)")
            }
            if out == nil { waiting(report.waiting) }
        }

        func waiting(_ materials: [CaseMaterial]) {
            for m in materials { Printer.line("  服务器尚未收到：\(m.name) 第 \(m.number) 份，稍后同步后再试") }
        }
    }
}

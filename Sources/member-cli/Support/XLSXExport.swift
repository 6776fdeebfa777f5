import ArgumentParser
import MemberCore

/// `--xlsx FILE` of the list commands: the list as the terminal shows it, as a spreadsheet
/// (see `ListSheet` for its columns), besides whatever the command prints.
struct XLSXExport: ParsableArguments {
    @Option(help: "同时导出为 Excel 文件（.xlsx；身份证号码、手机号码、编号为文本列）。") var xlsx: String?

    func write<Row>(_ sheet: ListSheet<Row>, _ rows: [Row]) throws {
        if let xlsx { try sheet.write(rows, to: xlsx) }
    }
}

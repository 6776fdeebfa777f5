import Foundation
import MutualAidDomain
import OfficeFormats

/// `--xlsx FILE` of the list commands: one sheet, a header row, ID numbers, mobiles, bank
/// accounts and case numbers as text columns so a spreadsheet keeps all 18 digits.
public enum ListExport {
    public struct Column: Sendable {
        public let title: String
        public let width: Double
        public var isText = false
        public init(_ title: String, width: Double, text: Bool = false) {
            self.title = title
            self.width = width
            self.isText = text
        }
    }

    public static func write(_ path: String, sheet: String, columns: [Column], rows: [[String]]) throws {
        let url = URL(fileURLWithPath: path)
        guard url.pathExtension.lowercased() == "xlsx" else {
            throw ClientError.invalidInput(.init(field: "xlsx", message: "导出文件名应以 .xlsx 结尾"))
        }
        let data = XLSXWriter.workbook(
            sheetName: sheet, header: columns.map(\.title), rows: rows,
            textColumns: Set(columns.indices.filter { columns[$0].isText }), columnWidths: columns.map(\.width))
        do { try data.write(to: url, options: .atomic) } catch {
            throw ClientError.io("无法写入文件 \(url.lastPathComponent)，请检查目录是否存在、是否有写权限")
        }
    }
}

import Foundation

/// Reads an uploaded table whatever the clerk saved it as, judging by content, not by name.
public enum TableFile {
    /// Rows of an .xlsx (recognised by the ZIP signature even when misnamed .csv) or a CSV file.
    /// Old binary .xls files are refused with advice, since they cannot be read here.
    public static func rows(_ data: Data, fileName: String) throws(OfficeFormatError) -> [[String]] {
        let head = [UInt8](data.prefix(8))
        if head.isEmpty {
            throw OfficeFormatError("上传的文件“\(fileName)”是空的，请确认选对了文件后重试")
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return try XLSXReader.rows(data)
        }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw OfficeFormatError(
                "“\(fileName)”是旧版 Excel 97-2003（.xls）格式，无法直接导入。请用 Excel 或 WPS 打开后另存为 .xlsx 或 CSV UTF-8 再导入")
        }
        if head.starts(with: [0x50, 0x4B]) {
            // An empty or spanned ZIP: not something Excel writes for a workbook.
            throw OfficeFormatError.corruptWorkbook
        }
        return try CSVReader.rows(data)
    }
}

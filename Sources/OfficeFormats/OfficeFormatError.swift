/// Why a spreadsheet or document could not be read; messages are for the clerk, in Chinese.
public struct OfficeFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension OfficeFormatError {
    /// The ZIP container or an XML part inside it is damaged or not a workbook at all.
    static let corruptWorkbook = OfficeFormatError(
        "文件不是有效的 xlsx 工作簿，可能已损坏或只下载了一部分。请用 Excel 或 WPS 打开后另存为 .xlsx 再导入")
    static let workbookTooLarge = OfficeFormatError(
        "工作簿解压后超过 200 MB 或包含的部件过多，请删除多余的工作表、图片和空白行后重新保存再导入")
    static let encryptedWorkbook = OfficeFormatError(
        "工作簿设置了打开密码，无法读取。请在 Excel 或 WPS 中取消密码保护后另存为 .xlsx 再导入")
    static let tableTooLarge = OfficeFormatError(
        "表格内容过多（单元格超过 500 万个），请只保留参保人信息所在的工作表和行列后再导入")
}

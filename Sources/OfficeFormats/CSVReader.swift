import Foundation

/// Reads comma-separated files as written by Excel, WPS, LibreOffice and hand-made exports.
public enum CSVReader {
    /// Rows of fields, following RFC 4180: fields in double quotes may hold commas, line
    /// breaks and doubled quotes (""). Lines may end in CRLF, LF or CR. The text is UTF-8
    /// (BOM removed) or GBK / GB18030. Trailing rows with nothing but empty fields are dropped.
    public static func rows(_ data: Data) throws(OfficeFormatError) -> [[String]] {
        let text = try TextDecoding.decode(data)
        return try parse(text)
    }

    static func parse(_ text: String) throws(OfficeFormatError) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var quoteStartLine = 0
        var line = 1
        var fieldStarted = false  // whether the current row has any content, so "" lines count
        // Unicode scalars, not Characters: "\r\n" is one Character and would hide the CR.
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func nextScalar() -> Unicode.Scalar? {
            if let p = pending {
                pending = nil
                return p
            }
            return scalars.next()
        }
        func endRow() {
            row.append(String(field))
            rows.append(row)
            row = []
            field = String.UnicodeScalarView()
            fieldStarted = false
            line += 1
        }
        while let c = nextScalar() {
            if inQuotes {
                if c == "\"" {
                    if let n = nextScalar() {
                        if n == "\"" {
                            field.append("\"")
                        } else {
                            inQuotes = false
                            pending = n
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty:
                inQuotes = true
                quoteStartLine = line
                fieldStarted = true
            case ",":
                row.append(String(field))
                field = String.UnicodeScalarView()
                fieldStarted = true
            case "\r":
                if let n = nextScalar(), n != "\n" { pending = n }
                endRow()
            case "\n":
                endRow()
            default:
                // A stray quote inside an unquoted field is kept as text, as Excel does.
                field.append(c)
                fieldStarted = true
            }
        }
        if inQuotes {
            throw OfficeFormatError(
                "CSV 文件第 \(quoteStartLine) 行有一个双引号没有配对结束，文件可能被截断或手工改坏了。请用 Excel 或 WPS 打开检查后重新另存为 CSV")
        }
        if fieldStarted || !field.isEmpty || !row.isEmpty { endRow() }
        while let last = rows.last, last.allSatisfy(\.isEmpty) { rows.removeLast() }
        return rows
    }
}

import Foundation

/// Writes a single-sheet OOXML workbook that Excel, WPS and LibreOffice open without repair.
public enum XLSXWriter {
    /// Cell style indexes into `cellXfs` in styles.xml.
    private enum Style {
        static let general = 0
        static let text = 1
        static let header = 2
    }

    /// A workbook with one sheet: a bold, frozen header row and then `rows`, every value a string.
    ///
    /// - Parameters:
    ///   - textColumns: zero-based columns formatted as text ("@") for the whole column, so an
    ///     18-digit ID number typed into the template stays text instead of becoming 6.1E+17.
    ///   - columnWidths: widths in Excel character units, by column; missing ones default to 12.
    public static func workbook(
        sheetName: String, header: [String], rows: [[String]],
        textColumns: Set<Int>, columnWidths: [Double]
    ) -> Data {
        var strings = SharedStrings()
        let columnCount = max(
            header.count, columnWidths.count, (textColumns.max() ?? -1) + 1,
            rows.map(\.count).max() ?? 0)

        var sheet = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheetViews><sheetView workbookViewId="0">
            """
        if !header.isEmpty {
            sheet += #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        }
        sheet += #"</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>"#
        if columnCount > 0 {
            sheet += "<cols>"
            for column in 0..<columnCount {
                let width = column < columnWidths.count && columnWidths[column] > 0 ? columnWidths[column] : 12
                let style = textColumns.contains(column) ? #" style="\#(Style.text)""# : ""
                sheet += #"<col min="\#(column + 1)" max="\#(column + 1)" width="\#(width)" customWidth="1"\#(style)/>"#
            }
            sheet += "</cols>"
        }
        sheet += "<sheetData>"
        var rowNumber = 0
        func appendRow(_ values: [String], isHeader: Bool) {
            rowNumber += 1
            sheet += #"<row r="\#(rowNumber)">"#
            for (column, value) in values.enumerated() {
                let style = isHeader ? Style.header : (textColumns.contains(column) ? Style.text : Style.general)
                let ref = "\(columnLetters(column))\(rowNumber)"
                if value.isEmpty {
                    // An empty but styled cell keeps the text format if the clerk types here.
                    if style != Style.general { sheet += #"<c r="\#(ref)" s="\#(style)"/>"# }
                    continue
                }
                sheet += #"<c r="\#(ref)" s="\#(style)" t="s"><v>\#(strings.index(of: value))</v></c>"#
            }
            sheet += "</row>"
        }
        if !header.isEmpty { appendRow(header, isHeader: true) }
        for row in rows { appendRow(row, isHeader: false) }
        sheet += "</sheetData></worksheet>"

        var zip = ZipWriter()
        zip.add("[Content_Types].xml", Array(Parts.contentTypes.utf8))
        zip.add("_rels/.rels", Array(Parts.rootRels.utf8))
        zip.add("xl/workbook.xml", Array(Parts.workbook(sheetName: safeSheetName(sheetName)).utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array(Parts.workbookRels.utf8))
        zip.add("xl/worksheets/sheet1.xml", Array(sheet.utf8))
        zip.add("xl/styles.xml", Array(Parts.styles.utf8))
        zip.add("xl/sharedStrings.xml", Array(strings.xml().utf8))
        return Data(zip.finish())
    }

    /// "A", "B", … "Z", "AA", … for a zero-based column.
    static func columnLetters(_ column: Int) -> String {
        var n = column + 1
        var letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(letters)
    }

    /// Excel rejects sheet names over 31 characters or with any of []:*?/\.
    private static func safeSheetName(_ name: String) -> String {
        let cleaned = String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }
}

/// The shared string table: each distinct text stored once, cells refer to it by index.
private struct SharedStrings {
    private var indexes: [String: Int] = [:]
    private var ordered: [String] = []
    private var references = 0

    mutating func index(of s: String) -> Int {
        references += 1
        if let i = indexes[s] { return i }
        indexes[s] = ordered.count
        ordered.append(s)
        return ordered.count - 1
    }

    func xml() -> String {
        var out = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        out +=
            #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\#(references)" uniqueCount="\#(ordered.count)">"#
        for s in ordered {
            // Without xml:space="preserve" Excel trims leading and trailing blanks.
            let preserve = s.first?.isWhitespace == true || s.last?.isWhitespace == true
            out += preserve ? #"<si><t xml:space="preserve">"# : "<si><t>"
            out += XMLText.escape(s) + "</t></si>"
        }
        return out + "</sst>"
    }
}

/// The fixed parts of the package.
private enum Parts {
    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
        </Types>
        """

    static let rootRels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    static func workbook(sheetName: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <bookViews><workbookView activeTab="0"/></bookViews>\
        <sheets><sheet name="\(XMLText.escape(sheetName))" sheetId="1" r:id="rId1"/></sheets>\
        </workbook>
        """
    }

    static let workbookRels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
        </Relationships>
        """

    /// cellXfs: 0 general, 1 text (numFmtId 49 is the built-in "@"), 2 bold header.
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <fonts count="2">\
        <font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>\
        <font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>\
        </fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="3">\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
}

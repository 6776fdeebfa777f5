import Foundation

/// Lays out a simple document on A4 pages, top to bottom: titles, paragraphs, tables and
/// blank space, wrapping lines and starting new pages as needed. Pages are numbered in the
/// footer ("第 1 页 / 共 2 页").
///
/// Widths are estimated rather than measured, since the font is not embedded: Chinese and
/// other wide characters take 1 em, everything else half an em (the font's own ASCII width).
public struct PDFComposer: Sendable {
    public static let margin = 56.0
    static let contentWidth = PDFWriter.pageWidth - 2 * margin
    static let top = PDFWriter.pageHeight - margin
    static let bottom = margin + 14  // room for the page number

    /// The title stored in the document properties; the first `title(_:)` sets it when empty.
    public var documentTitle: String
    /// Printed in every page's footer before the page number, so that a loose page of a
    /// document (a letter's list of members) still names the document it belongs to.
    public var pageMark = ""
    private var pages: [String] = []
    private var current = ""
    private var y = PDFComposer.top
    private var usedCodes: Set<UInt16> = []

    public init(documentTitle: String = "") {
        self.documentTitle = documentTitle
    }

    /// A centred heading in 18 pt.
    public mutating func title(_ text: String) {
        if documentTitle.isEmpty { documentTitle = text }
        let size = 18.0
        for line in TextLayout.wrap(text, width: Self.contentWidth, size: size) {
            ensureRoom(size * 1.6)
            y -= size * 1.3
            let x = Self.margin + (Self.contentWidth - TextLayout.width(line, size: size)) / 2
            show(line, x: x, y: y, size: size, bold: true)
            y -= size * 0.3
        }
        y -= size * 0.5
    }

    /// Text wrapped to the page width; "\n" starts a new line.
    public mutating func paragraph(_ text: String, size: Double = 11) {
        let size = Self.sane(size, default: 11)
        for line in TextLayout.wrap(text, width: Self.contentWidth, size: size) {
            ensureRoom(size * 1.5)
            y -= size * 1.15
            show(line, x: Self.margin, y: y, size: size, bold: false)
            y -= size * 0.35
        }
        y -= size * 0.4
    }

    /// Vertical blank space, in points.
    public mutating func spacer(_ points: Double) {
        let points = Self.sane(points, default: 0)
        if y - points < Self.bottom { newPage() } else { y -= points }
    }

    /// Ends the current page; what follows starts at the top of a new one.
    public mutating func pageBreak() {
        if !current.isEmpty { newPage() }
    }

    /// A bordered table. `widths` are fractions of the text width when they add up to at most
    /// 1, otherwise points (scaled down to fit). Cells wrap; a table that reaches the bottom of
    /// the page continues on the next with the header repeated.
    public mutating func table(header: [String], rows: [[String]], widths: [Double], size: Double = 10) {
        let size = Self.sane(size, default: 10)
        let columns = TextLayout.columnWidths(
            widths, count: max(header.count, widths.count),
            total: Self.contentWidth)
        guard !columns.isEmpty else { return }
        let layout = TableLayout(columns: columns, size: size)
        let headerLines = layout.lines(header)
        if !header.isEmpty { ensureRoom(layout.height(headerLines) + layout.lineHeight + 2 * layout.padding) }
        if !header.isEmpty { drawRow(headerLines, layout: layout, bold: true) }
        for row in rows {
            var remaining = layout.lines(row)
            var freshPage = false
            while true {
                let room = Int(((y - Self.bottom) - 2 * layout.padding) / layout.lineHeight)
                let needed = remaining.map(\.count).max() ?? 1
                if needed <= room {
                    drawRow(remaining, layout: layout, bold: false)
                    break
                }
                if freshPage {
                    // Taller than a whole page: draw what fits (at least a line, so this ends)
                    // and carry the rest over.
                    let fit = max(room, 1)
                    drawRow(remaining.map { Array($0.prefix(fit)) }, layout: layout, bold: false)
                    remaining = remaining.map { Array($0.dropFirst(fit)) }
                    if remaining.allSatisfy(\.isEmpty) { break }
                }
                newPage()
                if !header.isEmpty { drawRow(headerLines, layout: layout, bold: true) }
                freshPage = true
            }
        }
        y -= 8
    }

    /// The finished PDF file.
    public func render() -> Data {
        var pages = self.pages
        if !current.isEmpty || pages.isEmpty { pages.append(current) }
        var codes = usedCodes
        let numbered = pages.enumerated().map { index, content in
            let footer = (pageMark.isEmpty ? "" : pageMark + "    ") + "第 \(index + 1) 页 / 共 \(pages.count) 页"
            let size = 9.0
            let x = (PDFWriter.pageWidth - TextLayout.width(footer, size: size)) / 2
            return content
                + Self.textOperators(footer, x: x, y: Self.margin - 20, size: size, bold: false, codes: &codes)
        }
        return PDFWriter(title: documentTitle, pages: numbered, usedCodes: codes).render()
    }

    // MARK: - Drawing

    private mutating func drawRow(_ cells: [[String]], layout: TableLayout, bold: Bool) {
        let height = layout.height(cells)
        var x = Self.margin
        for (column, width) in layout.columns.enumerated() {
            current += "0.5 w \(x.pdf) \((y - height).pdf) \(width.pdf) \(height.pdf) re S\n"
            let lines = column < cells.count ? cells[column] : []
            var baseline = y - layout.padding - layout.size * 0.95
            for line in lines {
                show(line, x: x + layout.padding, y: baseline, size: layout.size, bold: bold)
                baseline -= layout.lineHeight
            }
            x += width
        }
        y -= height
    }

    private mutating func show(_ text: String, x: Double, y: Double, size: Double, bold: Bool) {
        current += Self.textOperators(text, x: x, y: y, size: size, bold: bold, codes: &usedCodes)
    }

    /// Bold is simulated by also stroking the glyph outlines, as there is one font only.
    private static func textOperators(
        _ text: String, x: Double, y: Double, size: Double, bold: Bool,
        codes: inout Set<UInt16>
    ) -> String {
        let units = PDFText.codes(text)
        guard !units.isEmpty else { return "" }
        codes.formUnion(units)
        let hex = units.map(PDFText.hex4).joined()
        let style = bold ? "2 Tr \((size / 30).pdf) w " : ""
        return "q BT \(style)/F1 \(size.pdf) Tf 1 0 0 1 \(x.pdf) \(y.pdf) Tm <\(hex)> Tj ET Q\n"
    }

    private mutating func ensureRoom(_ height: Double) {
        if y - height < Self.bottom, y < Self.top { newPage() }
    }

    private mutating func newPage() {
        pages.append(current)
        current = ""
        y = Self.top
    }

    private static func sane(_ value: Double, default fallback: Double) -> Double {
        value.isFinite && value >= 0 && value < 500 ? value : fallback
    }
}

/// Column widths and wrapped cell text for one table.
private struct TableLayout {
    let columns: [Double]
    let size: Double
    var padding: Double { 4 }
    var lineHeight: Double { size * 1.4 }

    func lines(_ row: [String]) -> [[String]] {
        columns.indices.map { i in
            let text = i < row.count ? row[i] : ""
            return TextLayout.wrap(text, width: max(columns[i] - 2 * padding, size), size: size)
        }
    }

    func height(_ cells: [[String]]) -> Double {
        Double(max(1, cells.map(\.count).max() ?? 1)) * lineHeight + 2 * padding - (lineHeight - size * 1.2)
    }
}

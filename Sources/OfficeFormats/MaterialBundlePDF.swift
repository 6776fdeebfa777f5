import Foundation

/// 材料汇总: a case's materials in one printable PDF. Cover pages list every material; each
/// image (JPEG, PNG) gets a page of its own, scaled to fit and turned as the camera recorded.
/// A material that cannot be drawn — an uploaded PDF (its pages are not copied in), an image
/// the parsers refuse — gets a page naming its file and saying it is attached separately. The
/// case number is in the header and the footer of every page, so loose printed pages still say
/// which case they belong to.
public struct MaterialBundlePDF: Sendable {
    public enum Inclusion: Sendable, Equatable {
        case embedded
        /// Not drawn; the reason is in Chinese.
        case separate(reason: String)
    }

    private struct Entry: Sendable {
        var caption: String
        var fileName: String
        var bytes: Int
        var image: Result<PDFImage, PDFImage.Unsupported>
    }

    public let caseNumber: String
    /// Lines under the title on the first page (the time it was made, who made it).
    public var notes: [String]
    private var entries: [Entry] = []

    static let title = "申领材料汇总"
    static let margin = 40.0

    public init(caseNumber: String, notes: [String] = []) {
        self.caseNumber = caseNumber
        self.notes = notes
    }

    /// Adds a material under `caption` (e.g. "身份证 第 1 份"); `fileName` is the name it has
    /// when exported beside the PDF. Says whether it is drawn or only named.
    @discardableResult
    public mutating func add(_ data: Data, caption: String, fileName: String) -> Inclusion {
        let bytes = [UInt8](data)
        let image: Result<PDFImage, PDFImage.Unsupported> =
            bytes.starts(with: Array("%PDF".utf8))
            ? .failure(.init(reason: "PDF 文件的页面不复制到汇总中"))
            : PDFImage.make(bytes) ?? .failure(.init(reason: "不是 JPEG 或 PNG 图像"))
        entries.append(Entry(caption: caption, fileName: fileName, bytes: bytes.count, image: image))
        switch image {
        case .success: return .embedded
        case .failure(let why): return .separate(reason: why.reason)
        }
    }

    /// "390.6 KB", "1.43 MB": sizes as people read them.
    public static func sizeText(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.2f MB", Double(bytes) / 1_048_576)
    }

    // MARK: Rendering

    public func render() -> Data {
        var file = PDFObjectFile()
        var codes: Set<UInt16> = []
        // The cover's length depends on the page numbers it lists, which depend on its length.
        var coverPages = 1
        var cover = coverLines(coverPages: coverPages)
        for _ in 0..<5 where cover.count != coverPages {
            coverPages = cover.count
            cover = coverLines(coverPages: coverPages)
        }
        let total = cover.count + entries.count
        var pages: [Int] = []
        for (index, lines) in cover.enumerated() {
            var content = frame(page: index + 1, of: total, width: PDFWriter.pageWidth, codes: &codes)
            var y = PDFWriter.pageHeight - 80
            for line in lines {
                content += Self.text(line.text, x: Self.margin, y: y, size: line.size, codes: &codes)
                y -= line.size * 1.6
            }
            pages.append(page(&file, content: content, width: PDFWriter.pageWidth, image: nil))
        }
        for (index, entry) in entries.enumerated() {
            let shown = (try? entry.image.get())?.shownSize
            let landscape = shown.map { $0.width > $0.height } ?? false
            let (w, h) =
                landscape ? (PDFWriter.pageHeight, PDFWriter.pageWidth) : (PDFWriter.pageWidth, PDFWriter.pageHeight)
            var content = frame(page: cover.count + index + 1, of: total, width: w, height: h, codes: &codes)
            var y = h - 66
            let caption = "\(entry.caption)（\(entry.fileName)，\(Self.sizeText(entry.bytes))）"
            for line in TextLayout.wrap(caption, width: w - 2 * Self.margin, size: 12) {
                content += Self.text(line, x: Self.margin, y: y, size: 12, codes: &codes)
                y -= 18
            }
            switch entry.image {
            case .success(let image):
                // Fit the box between the caption and the footer, centred, keeping proportions.
                let (boxW, boxH) = (w - 2 * Self.margin, y - 44)
                let scale = min(boxW / Double(shown!.width), boxH / Double(shown!.height))
                let (iw, ih) = (Double(shown!.width) * scale, Double(shown!.height) * scale)
                let m = PDFImage.matrix(
                    orientation: image.orientation, x: (w - iw) / 2, y: 44 + (boxH - ih) / 2, w: iw, h: ih)
                content += "q \(m.map(\.pdf).joined(separator: " ")) cm /Im1 Do Q\n"
                pages.append(page(&file, content: content, width: w, height: h, image: image))
            case .failure(let why):
                y -= 30
                for text in ["该材料未并入本汇总：\(why.reason)。", "原文件另行附上：\(entry.fileName)"] {
                    for line in TextLayout.wrap(text, width: w - 2 * Self.margin, size: 14) {
                        content += Self.text(line, x: Self.margin, y: y, size: 14, codes: &codes)
                        y -= 22
                    }
                }
                pages.append(page(&file, content: content, width: w, height: h, image: nil))
            }
        }
        return file.render(pages: pages, title: "\(Self.title) \(caseNumber)", usedCodes: codes)
    }

    /// The cover's text, split into pages.
    private func coverLines(coverPages: Int) -> [[(text: String, size: Double)]] {
        var lines: [(text: String, size: Double)] = [(Self.title, 18), ("案件号：\(caseNumber)", 12)]
        lines += notes.map { ($0, 11) }
        lines.append(("材料共 \(entries.count) 份：", 12))
        let width = PDFWriter.pageWidth - 2 * Self.margin
        for (index, entry) in entries.enumerated() {
            let place: String
            switch entry.image {
            case .success: place = "见第 \(coverPages + index + 1) 页"
            case .failure: place = "未并入，另行附上（说明见第 \(coverPages + index + 1) 页）"
            }
            let text = "\(index + 1). \(entry.caption) — \(entry.fileName)，\(Self.sizeText(entry.bytes))，\(place)"
            lines += TextLayout.wrap(text, width: width, size: 11).map { ($0, 11) }
        }
        // From 80 pt below the top edge down to the footer, at 1.6 line heights per line.
        var pages: [[(text: String, size: Double)]] = [[]]
        var used = 0.0
        for line in lines {
            if used + line.size * 1.6 > PDFWriter.pageHeight - 80 - 50, !pages[pages.count - 1].isEmpty {
                pages.append([])
                used = 0
            }
            pages[pages.count - 1].append(line)
            used += line.size * 1.6
        }
        return pages
    }

    /// Header and footer, both with the case number.
    private func frame(
        page: Int, of total: Int, width: Double, height: Double = PDFWriter.pageHeight, codes: inout Set<UInt16>
    ) -> String {
        let header = "案件号：\(caseNumber)"
        let footer = "案件号 \(caseNumber)    第 \(page) 页 / 共 \(total) 页"
        return Self.text(header, x: Self.margin, y: height - 34, size: 10, codes: &codes)
            + Self.text(
                Self.title, x: width - Self.margin - TextLayout.width(Self.title, size: 10), y: height - 34, size: 10,
                codes: &codes)
            + "0.5 w \(Self.margin.pdf) \((height - 42).pdf) m \((width - Self.margin).pdf) \((height - 42).pdf) l S\n"
            + Self.text(
                footer, x: (width - TextLayout.width(footer, size: 9)) / 2, y: 22, size: 9, codes: &codes)
    }

    /// Writes a page, its content and its image (with soft mask) into the file.
    private func page(
        _ file: inout PDFObjectFile, content: String, width: Double, height: Double = PDFWriter.pageHeight,
        image: PDFImage?
    ) -> Int {
        let pageObject = file.reserve()
        let contentObject = file.reserve()
        var xobjects = ""
        if let image {
            let imageObject = file.reserve()
            var entries =
                "/Type /XObject /Subtype /Image /Width \(image.width) /Height \(image.height) \(image.entries)"
            if let mask = image.softMask {
                let maskObject = file.reserve()
                file.set(
                    maskObject, stream: mask,
                    dictionary: "/Type /XObject /Subtype /Image /Width \(image.width) /Height \(image.height) "
                        + "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode")
                entries += " /SMask \(maskObject) 0 R"
            }
            file.set(imageObject, stream: image.bytes, dictionary: entries)
            xobjects = " /XObject << /Im1 \(imageObject) 0 R >>"
        }
        file.set(contentObject, stream: Array(content.utf8))
        file.set(
            pageObject,
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(width.pdf) \(height.pdf)] "
                + "/Resources << /Font << /F1 3 0 R >>\(xobjects) >> /Contents \(contentObject) 0 R >>")
        return pageObject
    }

    private static func text(_ text: String, x: Double, y: Double, size: Double, codes: inout Set<UInt16>) -> String {
        let units = PDFText.codes(text)
        guard !units.isEmpty else { return "" }
        codes.formUnion(units)
        return "BT /F1 \(size.pdf) Tf 1 0 0 1 \(x.pdf) \(y.pdf) Tm <\(units.map(PDFText.hex4).joined())> Tj ET\n"
    }
}

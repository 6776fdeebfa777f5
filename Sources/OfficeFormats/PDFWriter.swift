import Foundation

/// Assembles a PDF file from page content streams. Text is shown in the standard Chinese font
/// STSong-Light, which viewers supply themselves (nothing is embedded), through the UniGB-UTF16-H
/// CMap, so a string's bytes are simply its UTF-16BE code units. A ToUnicode CMap maps every
/// code used back to Unicode so that copy and paste and pdftotext recover the text.
struct PDFWriter {
    static let pageWidth = 595.0
    static let pageHeight = 842.0

    var title: String
    /// Content streams, one per page, made of ASCII operators.
    var pages: [String]
    /// UTF-16 code units shown anywhere in the document.
    var usedCodes: Set<UInt16>

    /// Objects 3–5: the Type0 font, its CID font and descriptor, as numbered here (object 6 is
    /// the ToUnicode CMap). `PDFObjectFile` numbers its first objects the same way.
    static let fontObjects = [
        """
        << /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H \
        /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>
        """,
        // CIDs 1–95 are the printable ASCII characters in Adobe-GB1; they are half width.
        """
        << /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
        /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> \
        /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>
        """,
        """
        << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 \
        /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 \
        /CapHeight 880 /StemV 93 >>
        """,
    ]

    func render() -> Data {
        var out: [UInt8] = []
        var offsets: [Int] = []
        // A comment with high bytes tells transfer tools the file is binary.
        out += Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]

        func object(_ body: String) {
            offsets.append(out.count)
            out += Array("\(offsets.count) 0 obj\n\(body)\nendobj\n".utf8)
        }
        func stream(_ content: String) -> String {
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream"
        }

        let firstPage = 8
        let kids = pages.indices.map { "\(firstPage + 2 * $0) 0 R" }.joined(separator: " ")
        object("<< /Type /Catalog /Pages 2 0 R >>")  // 1
        object("<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>")  // 2
        for body in Self.fontObjects { object(body) }  // 3, 4, 5
        object(stream(Self.toUnicodeCMap(usedCodes)))  // 6
        object("<< /Producer (OfficeFormats) /Title <\(PDFText.hexWithBOM(title))> >>")  // 7
        for content in pages {
            object(
                """
                << /Type /Page /Parent 2 0 R /MediaBox [0 0 \(Self.pageWidth.pdf) \(Self.pageHeight.pdf)] \
                /Resources << /Font << /F1 3 0 R >> >> /Contents \(offsets.count + 2) 0 R >>
                """)
            object(stream(content))
        }

        let xrefOffset = out.count
        var xref = "xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            // Entries are exactly 20 bytes: 10-digit offset, generation, type, space, newline.
            xref += String(repeating: "0", count: max(0, 10 - digits.count)) + digits + " 00000 n \n"
        }
        xref += "trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R /Info 7 0 R >>\nstartxref\n\(xrefOffset)\n%%EOF\n"
        out += Array(xref.utf8)
        return Data(out)
    }

    static func toUnicodeCMap(_ usedCodes: Set<UInt16>) -> String {
        var cmap = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        let codes = usedCodes.sorted()
        // bfchar blocks may hold at most 100 entries each.
        var start = 0
        while start < codes.count {
            let block = codes[start..<min(start + 100, codes.count)]
            cmap += "\(block.count) beginbfchar\n"
            for code in block { cmap += "<\(PDFText.hex4(code))> <\(PDFText.hex4(code))>\n" }
            cmap += "endbfchar\n"
            start += 100
        }
        cmap += """
            endcmap
            CMapName currentdict /CMap defineresource pop
            end
            end
            """
        return cmap
    }
}

/// Turning Swift strings into the 2-byte codes the font expects.
enum PDFText {
    /// UTF-16 code units to show for `text`. Characters outside the Basic Multilingual Plane
    /// have no code in this font, so they become "?"; control characters are dropped.
    static func codes(_ text: String) -> [UInt16] {
        var result: [UInt16] = []
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                result.append(0x20)
                continue
            }
            if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) { continue }
            result.append(scalar.value > 0xFFFF ? 0x3F : UInt16(scalar.value))
        }
        return result
    }

    static func hex4(_ code: UInt16) -> String {
        let digits = String(code, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// A text string for the document information dictionary: UTF-16BE after a byte order mark.
    static func hexWithBOM(_ text: String) -> String {
        "FEFF" + text.utf16.map(hex4).joined()
    }
}

extension Double {
    /// A compact decimal for content streams: at most two decimals, no exponent.
    var pdf: String {
        guard isFinite else { return "0" }
        let rounded = (self * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var s = String(format: "%.2f", rounded)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}

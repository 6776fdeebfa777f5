import Foundation

/// A PDF file of numbered objects, some of them binary streams (images), for documents the
/// text-only `PDFWriter` cannot hold. Objects 1–7 are numbered as in `PDFWriter` (catalog, page
/// tree, the three font objects, the ToUnicode CMap, the document information), so both share
/// the font definitions.
struct PDFObjectFile {
    private var bodies: [[UInt8]?] = Array(repeating: nil, count: 7)

    /// A new object number; its body is given later with `set`.
    mutating func reserve() -> Int {
        bodies.append(nil)
        return bodies.count
    }

    mutating func set(_ number: Int, _ body: String) { bodies[number - 1] = Array(body.utf8) }

    /// A stream object; `dictionary` holds its entries other than /Length.
    mutating func set(_ number: Int, stream bytes: [UInt8], dictionary: String = "") {
        bodies[number - 1] =
            Array("<< \(dictionary) /Length \(bytes.count) >>\nstream\n".utf8) + bytes + Array("\nendstream".utf8)
    }

    /// The file: `pages` (object numbers, in order) form the page tree; text shown anywhere uses
    /// `usedCodes` of the font (object 3, named /F1 in the pages' resources).
    func render(pages: [Int], title: String, usedCodes: Set<UInt16>) -> Data {
        var file = self
        file.set(1, "<< /Type /Catalog /Pages 2 0 R >>")
        let kids = pages.map { "\($0) 0 R" }.joined(separator: " ")
        file.set(2, "<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>")
        for (index, body) in PDFWriter.fontObjects.enumerated() { file.set(3 + index, body) }
        file.set(6, stream: Array(PDFWriter.toUnicodeCMap(usedCodes).utf8))
        file.set(7, "<< /Producer (OfficeFormats) /Title <\(PDFText.hexWithBOM(title))> >>")

        // A comment with high bytes tells transfer tools the file is binary.
        var out: [UInt8] = Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (index, body) in file.bodies.enumerated() {
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n".utf8) + (body ?? Array("null".utf8)) + Array("\nendobj\n".utf8)
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
}

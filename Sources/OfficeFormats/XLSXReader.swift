import Foundation

/// Reads the first worksheet of an .xlsx workbook as rows of display strings.
public enum XLSXReader {
    static let maxCells = 5_000_000

    /// The first worksheet's cells, row by row. Gaps between referenced cells and rows come
    /// back as "" and [], trailing empty cells of a row and trailing empty rows are dropped.
    /// Numbers come back as written in the file: integral values without ".0", and anything in
    /// exponent form (an ID typed as a number, 6.1100219850312E+17) literally, so callers can
    /// tell the clerk the column lost its digits. Booleans read TRUE / FALSE.
    public static func rows(_ data: Data) throws(OfficeFormatError) -> [[String]] {
        let zip = try ZipReader(Array(data))
        let workbookPath = try officeDocumentPath(zip)
        let workbookRels = try relationships(zip, of: workbookPath)
        var sheetPath: String?
        var sharedStringsPath: String?
        if let workbook = try zip.read(workbookPath) {
            if let id = try firstSheetRelationshipID(workbook) {
                sheetPath = workbookRels.first { $0.id == id }?.target
            }
        }
        sharedStringsPath = workbookRels.first { $0.type.hasSuffix("/sharedStrings") }?.target
        if sheetPath.flatMap({ zip.entries[$0] }) == nil {
            sheetPath =
                zip.entries["xl/worksheets/sheet1.xml"] != nil
                ? "xl/worksheets/sheet1.xml"
                : zip.names.first { $0.hasPrefix("xl/worksheets/") && $0.hasSuffix(".xml") }
        }
        guard let sheetPath, let sheet = try zip.read(sheetPath) else {
            throw OfficeFormatError("工作簿里没有找到工作表，请确认文件是用“参保人信息模板”填写的 .xlsx 文件")
        }
        let strings = try sharedStrings(zip.read(sharedStringsPath ?? "xl/sharedStrings.xml") ?? [])
        return try WorksheetParser(strings: strings).parse(sheet)
    }

    struct Relationship { var id: String, type: String, target: String }

    /// The workbook part named by _rels/.rels; "xl/workbook.xml" when that is missing.
    private static func officeDocumentPath(_ zip: ZipReader) throws(OfficeFormatError) -> String {
        let rels = try relationships(zip, of: "")
        return rels.first { $0.type.hasSuffix("/officeDocument") && zip.entries[$0.target] != nil }?.target
            ?? "xl/workbook.xml"
    }

    /// Relationships of `part`, with targets resolved to archive paths.
    private static func relationships(_ zip: ZipReader, of part: String) throws(OfficeFormatError) -> [Relationship] {
        let slash = part.lastIndex(of: "/")
        let dir = slash.map { String(part[..<$0]) } ?? ""
        let file = slash.map { String(part[part.index(after: $0)...]) } ?? part
        let relsPath = (dir.isEmpty ? "" : dir + "/") + "_rels/" + file + ".rels"
        guard let bytes = try zip.read(relsPath) else { return [] }
        var scanner = XMLScanner(bytes)
        var result: [Relationship] = []
        while let event = try scanner.next() {
            guard case .start("Relationship", let attributes, _) = event,
                let id = attributes["Id"], let target = attributes["Target"]
            else { continue }
            if attributes["TargetMode"] == "External" { continue }
            result.append(Relationship(id: id, type: attributes["Type"] ?? "", target: resolve(target, from: dir)))
        }
        return result
    }

    /// Joins a relative target onto a directory, folding "..", or strips the "/" of an absolute one.
    private static func resolve(_ target: String, from dir: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : dir.split(separator: "/")
        for piece in target.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(piece) }
        }
        return parts.joined(separator: "/")
    }

    private static func firstSheetRelationshipID(_ workbook: [UInt8]) throws(OfficeFormatError) -> String? {
        var scanner = XMLScanner(workbook)
        while let event = try scanner.next() {
            if case .start("sheet", let attributes, _) = event {
                // The prefix is usually "r:" but any prefix bound to the relationships namespace is legal.
                return attributes.first { $0.key.hasSuffix(":id") }?.value
            }
        }
        return nil
    }

    /// Each <si> is plain <t> text or rich text runs <r><t>; phonetic hints (<rPh>) are not content.
    private static func sharedStrings(_ bytes: [UInt8]) throws(OfficeFormatError) -> [String] {
        var scanner = XMLScanner(bytes)
        var result: [String] = []
        var current = ""
        var inText = false
        var phoneticDepth = 0
        while let event = try scanner.next() {
            switch event {
            case .start(let name, _, let selfClosing):
                if name == "si" {
                    current = ""
                    if selfClosing { result.append("") }
                }
                if name == "rPh", !selfClosing { phoneticDepth += 1 }
                if name == "t", !selfClosing { inText = true }
            case .end(let name):
                if name == "si" { result.append(OOXMLEscapes.decode(current)) }
                if name == "rPh" { phoneticDepth -= 1 }
                if name == "t" { inText = false }
            case .text(let text):
                if inText, phoneticDepth == 0 { current += text }
            }
        }
        return result
    }
}

/// Excel writes characters XML cannot hold, such as a carriage return, as "_x000D_".
enum OOXMLEscapes {
    static func decode(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        var out = ""
        var rest = Substring(s)
        while let range = rest.range(of: "_x") {
            out += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let hex = after.prefix(4)
            if hex.count == 4, after.dropFirst(4).first == "_", let value = UInt32(hex, radix: 16),
                let scalar = Unicode.Scalar(value)
            {
                out.unicodeScalars.append(scalar)
                rest = after.dropFirst(5)
            } else {
                out += "_x"
                rest = after
            }
        }
        return out + rest
    }
}

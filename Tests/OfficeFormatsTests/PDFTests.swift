import Foundation
import TestSupport
import Testing

@testable import OfficeFormats

@Suite struct PDFTests {
    /// A confirmation letter long enough to need three pages.
    static func letter() -> Data {
        var pdf = PDFComposer()
        pdf.title("职工互助保障参保确认书")
        pdf.paragraph("投保单位：市总工会机关分会（统一社会信用代码 91110105MA01ABCD2X）")
        pdf.paragraph(
            "本单位已按《职工互助保障活动章程》为下列人员办理参保手续，保障期间自2026年1月1日起至2026年12月31日止。"
                + "参保人员在保障期间内发生保障范围内的事项，可按规定申请互助金。Long English words wrap at spaces only.")
        pdf.spacer(6)
        let rows =
            (1...80).map { i in
                [
                    "\(i)", "参保人\(i)", "11010519491231\(String(format: "%03d", i))X", "175.00",
                    "G2602202411091\(String(format: "%07d", i))",
                ]
            } + [["81", "张三", "11010519491231002X", "175.00", "G26022024110910000683"]]
        pdf.table(header: ["序号", "姓名", "身份证号", "金额（元）", "缴费单号"], rows: rows, widths: [0.08, 0.16, 0.3, 0.14, 0.32])
        pdf.paragraph("合计：81 人，金额 14175.00 元。")
        pdf.spacer(20)
        pdf.paragraph("单位（盖章）：\n日期：2026年1月5日", size: 12)
        return pdf.render()
    }

    @Test func structureAndXrefOffsetsAreConsistent() throws {
        let bytes = Array(Self.letter())
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1.4"))
        #expect(text.hasSuffix("%%EOF\n"))
        #expect(text.contains("/BaseFont /STSong-Light /Encoding /UniGB-UTF16-H"))
        #expect(text.contains("/Registry (Adobe) /Ordering (GB1) /Supplement 2"))
        #expect(text.contains("/ToUnicode 6 0 R"))
        // 确 is U+786E: shown as its UTF-16 code and mapped back in the ToUnicode CMap.
        #expect(text.contains("<786E> <786E>"))
        // Every xref entry must point at "N 0 obj".
        let startxref = try #require(text.range(of: "startxref\n", options: .backwards))
        let xrefOffset = try #require(Int(text[startxref.upperBound...].prefix { $0.isNumber }))
        let xref = String(decoding: bytes[xrefOffset...], as: UTF8.self)
        #expect(xref.hasPrefix("xref\n0 "))
        let entries = xref.split(separator: "\n").dropFirst(3).prefix { $0.hasSuffix(" n ") || $0.hasSuffix(" n") }
        #expect(entries.count > 8)
        for (index, entry) in entries.enumerated() {
            let offset = try #require(Int(entry.prefix(10)))
            let header = String(decoding: bytes[offset..<min(bytes.count, offset + 16)], as: UTF8.self)
            #expect(header.hasPrefix("\(index + 1) 0 obj"), "xref entry \(index + 1) points at \(header)")
        }
    }

    @Test func pdftotextExtractsChineseText() throws {
        let pdftotext = try ExternalTool.poppler("pdftotext")
        let pdfinfo = try ExternalTool.poppler("pdfinfo")
        let dir = Scratch.directory("office-formats")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("确认书.pdf")
        try Self.letter().write(to: file)

        let extracted = try run(pdftotext, ["-layout", file.path, "-"])
        #expect(extracted.status == 0)
        #expect(extracted.stderr.isEmpty, "pdftotext warned: \(extracted.stderr)")
        let text = extracted.stdout
        for expected in [
            "职工互助保障参保确认书", "市总工会机关分会", "保障期间自2026年1月1日起", "身份证号", "缴费单号",
            "张三", "11010519491231002X", "175.00", "G26022024110910000683", "14175.00", "单位（盖章）",
            "第 1 页 / 共 3 页", "第 3 页 / 共 3 页",
        ] {
            #expect(text.contains(expected), "pdftotext output lacks \(expected)")
        }
        // The header row is repeated on each page the table continues on.
        #expect(text.components(separatedBy: "缴费单号").count - 1 >= 2)

        let info = try run(pdfinfo, [file.path])
        #expect(info.status == 0)
        #expect(info.stderr.isEmpty, "pdfinfo warned: \(info.stderr)")
        // pdfinfo pads the values to a column whose width varies between poppler versions.
        let fields = Dictionary(
            info.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }, uniquingKeysWith: { first, _ in first })
        #expect(fields["Pages"] == "3", "\(info.stdout)")
        #expect(fields["Title"] == "职工互助保障参保确认书")
        #expect(fields["Producer"] == "OfficeFormats")
    }

    @Test func wrappingKeepsWordsAndPunctuation() {
        let lines = TextLayout.wrap("保障期间内发生保障范围内的事项，可按规定申请", width: 10 * 11, size: 11)
        #expect(lines.first == "保障期间内发生保障范")
        // A full stop or comma never starts a line.
        let tight = TextLayout.wrap("一二三四五六七八九十，后", width: 10 * 11, size: 11)
        #expect(tight == ["一二三四五六七八九十，", "后"])
        let english = TextLayout.wrap("alpha beta gamma delta", width: 6 * 11, size: 11)
        #expect(english == ["alpha beta", "gamma delta"])
        #expect(TextLayout.wrap("甲\n\n乙", width: 100, size: 10) == ["甲", "", "乙"])
        // Characters outside the BMP have no code in the font and become "?".
        #expect(PDFText.codes("a😀中") == [0x61, 0x3F, 0x4E2D])
    }

    @Test func tallRowsAndOddInputsTerminate() {
        var pdf = PDFComposer(documentTitle: "压力")
        pdf.table(header: ["说明"], rows: [[String(repeating: "很长的内容", count: 2000)]], widths: [1])
        pdf.table(header: [], rows: [["a", "b"]], widths: [])
        pdf.table(header: ["a"], rows: [], widths: [.nan])
        pdf.spacer(.infinity)
        pdf.paragraph("", size: -3)
        let data = pdf.render()
        let pages = String(decoding: data, as: UTF8.self).components(separatedBy: "/Type /Page ").count - 1
        #expect(pages > 3)
    }
}

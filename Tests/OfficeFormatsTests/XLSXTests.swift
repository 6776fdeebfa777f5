import Foundation
import TestSupport
import Testing

@testable import OfficeFormats

@Suite struct XLSXTests {
    static let header = ["姓名", "性别", "身份证号", "手机号", "备注"]
    static let rows = [
        ["张三", "男", "11010519491231002X", "13800138000", "A&B <测试> \"引号\""],
        ["李四", "", "440524188001010014", "", ""],
        ["", "", "", "", "  前后空格  "],
        ["王五", "女", "51010219800101888X", "", "第一行\n第二行"],
    ]

    static func template() -> Data {
        XLSXWriter.workbook(
            sheetName: "参保人信息", header: header, rows: rows,
            textColumns: [2, 3], columnWidths: [10, 6, 22, 14])
    }

    @Test func writerOutputReadsBack() throws {
        let read = try XLSXReader.rows(Self.template())
        #expect(read[0] == Self.header)
        #expect(read[1] == Self.rows[0])
        // Trailing empty cells are dropped, gaps in between come back as "".
        #expect(read[2] == ["李四", "", "440524188001010014"])
        #expect(read[3] == ["", "", "", "", "  前后空格  "])
        #expect(read[4] == Self.rows[3])
        #expect(read.count == 5)
    }

    @Test func writerMarksTextColumnsAndBoldHeader() throws {
        let zip = try ZipReader(Array(Self.template()))
        let sheet = String(decoding: try #require(try zip.read("xl/worksheets/sheet1.xml")), as: UTF8.self)
        let styles = String(decoding: try #require(try zip.read("xl/styles.xml")), as: UTF8.self)
        #expect(sheet.contains(#"<col min="3" max="3" width="22.0" customWidth="1" style="1"/>"#))
        #expect(sheet.contains(#"<col min="4" max="4" width="14.0" customWidth="1" style="1"/>"#))
        #expect(sheet.contains(#"<col min="5" max="5" width="12.0" customWidth="1"/>"#))
        #expect(styles.contains(#"<xf numFmtId="49" fontId="0""#))
        #expect(styles.contains("<b/>"))
        #expect(zip.names.contains("[Content_Types].xml"))
    }

    @Test func columnLettersAndReferences() {
        #expect(XLSXWriter.columnLetters(0) == "A")
        #expect(XLSXWriter.columnLetters(25) == "Z")
        #expect(XLSXWriter.columnLetters(26) == "AA")
        #expect(XLSXWriter.columnLetters(701) == "ZZ")
        #expect(XLSXWriter.columnLetters(702) == "AAA")
        #expect(WorksheetParser.column(of: "AAA12") == 702)
        #expect(WorksheetParser.column(of: "C1") == 2)
        #expect(WorksheetParser.column(of: "12") == nil)
        #expect(WorksheetParser.column(of: "ZZZZ1") == nil)
    }

    @Test func handWrittenSheetWithAllCellKinds() throws {
        let sheet = """
            <?xml version="1.0" encoding="UTF-8"?>
            <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
            <x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c></x:row>
            <x:row r="3"><x:c r="A3"><x:v>175</x:v></x:c><x:c r="B3"><x:v>175.5</x:v></x:c>\
            <x:c r="C3"><x:v>6.11002198503120E+17</x:v></x:c><x:c r="D3" t="b"><x:v>1</x:v></x:c>\
            <x:c r="E3" t="inlineStr"><x:is><x:t>&#x4E2D;&#25991;&amp;&lt;</x:t></x:is></x:c>\
            <x:c r="F3" t="str"><x:v>公式结果</x:v></x:c><x:c r="G3"><x:v>42.0</x:v></x:c><x:c r="H3" t="s"><x:v>2</x:v></x:c></x:row>
            <x:row r="4"><x:c r="A4" s="1"/></x:row><x:row r="5"/>
            </x:sheetData></x:worksheet>
            """
        let shared = """
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <si><t>a</t></si><si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space="preserve">文本 </t></r>\
            <rPh sb="0" eb="1"><t>フ</t></rPh></si><si><t>第一行_x000D_\n第二行</t></si></sst>
            """
        var zip = ZipWriter()
        zip.add("xl/worksheets/sheet1.xml", Array(sheet.utf8))
        zip.add("xl/sharedStrings.xml", Array(shared.utf8), deflate: false)
        let rows = try XLSXReader.rows(Data(zip.finish()))
        #expect(
            rows == [
                ["a", "", "富文本 "],
                [],
                // Excel writes a carriage return inside a cell as _x000D_.
                ["175", "175.5", "6.11002198503120E+17", "TRUE", "中文&<", "公式结果", "42", "第一行\r\n第二行"],
            ])
    }

    @Test func firstSheetIsFoundThroughWorkbookRelationships() throws {
        func sheet(_ text: String) -> [UInt8] {
            Array(
                #"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>\#(text)</t></is></c></row></sheetData></worksheet>"#
                    .utf8)
        }
        var zip = ZipWriter()
        zip.add(
            "_rels/.rels",
            Array(
                #"<Relationships><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/book/main.xml"/></Relationships>"#
                    .utf8))
        zip.add(
            "book/main.xml",
            Array(
                #"<workbook xmlns:rel="x"><sheets><sheet name="甲" sheetId="2" rel:id="s2"/><sheet name="乙" sheetId="1" rel:id="s1"/></sheets></workbook>"#
                    .utf8))
        zip.add(
            "book/_rels/main.xml.rels",
            Array(
                #"<Relationships><Relationship Id="s1" Type="…/worksheet" Target="sheets/one.xml"/><Relationship Id="s2" Type="…/worksheet" Target="../book/sheets/two.xml"/></Relationships>"#
                    .utf8))
        zip.add("book/sheets/one.xml", sheet("第二张"))
        zip.add("book/sheets/two.xml", sheet("第一张"))
        #expect(try XLSXReader.rows(Data(zip.finish())) == [["第一张"]])
    }

    @Test func mutatedWorkbooksNeverCrash() {
        let original = Array(Self.template())
        var rng = SplitMix64(environment: "XLSX_MUTATION_SEED", default: 0x0F_F1CE)
        var truncationsRefused = 0
        var readable = 0
        for round in 0..<400 {
            var bytes = original
            switch round % 4 {
            case 0: bytes.removeLast(Int.random(in: 1..<bytes.count, using: &rng))
            case 1:
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            case 2:
                let start = Int.random(in: 0..<bytes.count, using: &rng)
                bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...64, using: &rng)))
            default:
                // Damage only the central directory and end record.
                let i = bytes.count - Int.random(in: 1...200, using: &rng)
                bytes[i] = UInt8.random(in: 0...255, using: &rng)
            }
            do {
                // A byte flip in a field nobody reads (a timestamp) may leave the file readable.
                if try XLSXReader.rows(Data(bytes)).first == Self.header { readable += 1 }
            } catch {
                if round % 4 == 0 { truncationsRefused += 1 }
            }
        }
        // Reaching here means no input trapped; every truncated file must be refused.
        #expect(truncationsRefused == 100, "\(rng.label)")
        #expect(readable < 300, "\(rng.label)")
    }

    @Test func damagedXMLInsideIntactZipNeverCrashes() throws {
        // CRCs catch damage to compressed data, so also feed the XML layer damaged parts directly.
        let zip = try ZipReader(Array(Self.template()))
        let sheet = try #require(try zip.read("xl/worksheets/sheet1.xml"))
        let strings = try #require(try zip.read("xl/sharedStrings.xml"))
        let workbook = try #require(try zip.read("xl/workbook.xml"))
        let nasty = Array("<>&;#x\"'/=r 9AZ:".utf8) + [0x00, 0xFF, 0xE4]
        var rng = SplitMix64(environment: "XLSX_XML_SEED", default: 0x0F_F1CE_2)
        var parsed = 0
        for _ in 0..<200 {
            var parts = [sheet, strings, workbook]
            let target = Int.random(in: 0..<3, using: &rng)
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let i = Int.random(in: 0..<parts[target].count, using: &rng)
                if Bool.random(using: &rng) {
                    parts[target][i] = nasty.randomElement(using: &rng) ?? 0
                } else {
                    parts[target].removeSubrange(i..<min(parts[target].count, i + Int.random(in: 1...40, using: &rng)))
                }
            }
            var writer = ZipWriter()
            for name in zip.names
            where !["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"].contains(name) {
                writer.add(name, try #require(try zip.read(name)))
            }
            writer.add("xl/worksheets/sheet1.xml", parts[0])
            writer.add("xl/sharedStrings.xml", parts[1])
            writer.add("xl/workbook.xml", parts[2])
            if (try? XLSXReader.rows(Data(writer.finish()))) != nil { parsed += 1 }
        }
        // Reaching here means nothing trapped; many small edits still leave a readable sheet.
        #expect(parsed > 0)
    }

    @Test func errorsAreChineseAndActionable() {
        do {
            _ = try XLSXReader.rows(Data("PK\u{3}\u{4}garbage".utf8))
            Issue.record("garbage was accepted")
        } catch {
            #expect(error.message.contains("xlsx"))
            #expect(error.message.contains("另存为"))
        }
    }
}

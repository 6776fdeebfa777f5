import Foundation
import TestSupport
import Testing

@testable import OfficeFormats

@Suite struct CSVTests {
    func rows(_ text: String) throws(OfficeFormatError) -> [[String]] { try CSVReader.rows(Data(text.utf8)) }

    @Test func quotingFollowsRFC4180() throws {
        #expect(try rows("a,b,c\n1,2,3\n") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(try rows(#""张,三","说""明""""# + "\n") == [["张,三", #"说"明""#]])
        #expect(try rows("\"多\r\n行\",x\r\ny,\"\"\r\n") == [["多\r\n行", "x"], ["y", ""]])
        #expect(try rows("a,,c\n,,\n") == [["a", "", "c"]])
        #expect(try rows("a\n\nb") == [["a"], [""], ["b"]])
        // A stray quote inside an unquoted field is text.
        #expect(try rows("5\"5,x") == [["5\"5", "x"]])
    }

    @Test func lineEndingsAndBOM() throws {
        let expected = [["姓名", "身份证号"], ["张三", "11010519491231002X"]]
        #expect(try rows("姓名,身份证号\r\n张三,11010519491231002X\r\n") == expected)
        #expect(try rows("姓名,身份证号\r张三,11010519491231002X\r") == expected)
        #expect(try rows("姓名,身份证号\n张三,11010519491231002X") == expected)
        #expect(
            try CSVReader.rows(Data([0xEF, 0xBB, 0xBF] + Array("姓名,身份证号\n张三,11010519491231002X\n".utf8))) == expected)
        // Trailing lines holding only separators, as Excel writes them, are dropped.
        #expect(try rows("姓名,身份证号\n张三,11010519491231002X\n,\n\n") == expected)
    }

    @Test func gbkBytesAreDecoded() throws {
        // "姓名,张三\r\n" as Excel on Chinese Windows saves it: 张 D5C5, 三 C8FD, 姓 D0D5, 名 C3FB.
        let gbk: [UInt8] = [0xD0, 0xD5, 0xC3, 0xFB, 0x2C, 0xD5, 0xC5, 0xC8, 0xFD, 0x0D, 0x0A]
        #expect(try CSVReader.rows(Data(gbk)) == [["姓名", "张三"]])
    }

    @Test func gbkFromPythonEncoder() throws {
        guard let python = ExternalTool.find("python3") else {
            Issue.record("找不到 python3。请先运行 scripts/setup")
            return
        }
        let text = "单位名称,身份证号,备注\r\n市总工会,11010519491231002X,\"含,逗号\"\r\n"
        let result = try run(
            python, ["-c", "import sys; sys.stdout.buffer.write(sys.argv[1].encode('gbk').hex().encode())", text])
        #expect(result.status == 0)
        let hex = Array(result.stdout.utf8)
        var bytes: [UInt8] = []
        var i = 0
        while i + 1 < hex.count {
            bytes.append(UInt8(String(decoding: hex[i...i + 1], as: UTF8.self), radix: 16) ?? 0)
            i += 2
        }
        #expect(TextDecoding.utf8(bytes) == nil, "GBK bytes must not be valid UTF-8 here")
        #expect(try CSVReader.rows(Data(bytes)) == [["单位名称", "身份证号", "备注"], ["市总工会", "11010519491231002X", "含,逗号"]])
    }

    @Test func undecodableAndBinaryInputIsRefused() {
        // 0xFF never occurs in GBK or UTF-8.
        #expect(throws: OfficeFormatError.self) { try CSVReader.rows(Data([0x61, 0xFF, 0xFF, 0x62])) }
        // A GBK lead byte at the very end is a truncated character.
        #expect(throws: OfficeFormatError.self) { try CSVReader.rows(Data([0x61, 0x2C, 0xD5])) }
        #expect(throws: OfficeFormatError.self) { try CSVReader.rows(Data([0xFF, 0xFE, 0x61, 0x00])) }
        #expect(throws: OfficeFormatError.self) { try CSVReader.rows(Data([0x61, 0x00, 0x62])) }
        do {
            _ = try rows("a,\"unterminated\nb")
            Issue.record("an unterminated quote was accepted")
        } catch {
            #expect(error.message.contains("第 1 行"))
        }
    }

    @Test func tableFilePicksFormatByContent() throws {
        let xlsx = XLSXWriter.workbook(
            sheetName: "表", header: ["姓名"], rows: [["张三"]], textColumns: [], columnWidths: [])
        // Misnamed: the ZIP signature wins over the extension.
        #expect(try TableFile.rows(xlsx, fileName: "名单.csv") == [["姓名"], ["张三"]])
        #expect(try TableFile.rows(Data("姓名\n张三\n".utf8), fileName: "名单.xlsx") == [["姓名"], ["张三"]])
        do {
            _ = try TableFile.rows(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]), fileName: "旧表.xls")
            Issue.record("an .xls file was accepted")
        } catch {
            #expect(error.message.contains(".xls"))
            #expect(error.message.contains("另存为"))
        }
        #expect(throws: OfficeFormatError.self) { try TableFile.rows(Data(), fileName: "空.csv") }
    }
}

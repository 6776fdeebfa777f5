import Foundation
import TestSupport
import Testing

@testable import OfficeFormats

/// Workbooks checked and produced by openpyxl, an xlsx implementation written outside this project.
@Suite struct OpenpyxlTests {
    @Test func openpyxlOpensTemplateAndFillsItIn() throws {
        let python = try ExternalTool.pythonWithOpenpyxl()
        let dir = Scratch.directory("office-formats")
        defer { try? FileManager.default.removeItem(at: dir) }
        let template = dir.appendingPathComponent("参保人信息模板-通用.xlsx")
        let filled = dir.appendingPathComponent("filled.xlsx")
        try XLSXWriter.workbook(
            sheetName: "参保人信息", header: ["姓名", "性别", "身份证号", "金额"], rows: [],
            textColumns: [2], columnWidths: [10, 6, 22, 10]
        ).write(to: template)
        let script = """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb.active
            print("sheet=" + ws.title)
            print("header=" + "|".join(str(c.value) for c in ws[1]))
            print("format=" + ws.column_dimensions["C"].number_format)
            print("bold=" + str(ws["A1"].font.b))
            ws.append(["张三", "男", "11010519491231002X", 175])
            ws.append(["李四", None, "440524188001010014", 87.5])
            ws["A5"] = "赵六"
            ws["D5"] = True
            wb.save(sys.argv[2])
            """
        let result = try run(python, ["-c", script, template.path, filled.path])
        #expect(result.status == 0, "openpyxl failed: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("sheet=参保人信息"))
        #expect(lines.contains("header=姓名|性别|身份证号|金额"))
        #expect(lines.contains("format=@"))
        #expect(lines.contains("bold=True"))

        let rows = try XLSXReader.rows(try Data(contentsOf: filled))
        #expect(
            rows == [
                ["姓名", "性别", "身份证号", "金额"],
                ["张三", "男", "11010519491231002X", "175"],
                ["李四", "", "440524188001010014", "87.5"],
                [],
                ["赵六", "", "", "TRUE"],
            ])
    }

    @Test func readsWorkbookWrittenByOpenpyxl() throws {
        let python = try ExternalTool.pythonWithOpenpyxl()
        let dir = Scratch.directory("office-formats")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("external.xlsx")
        // First with a decoy sheet in front (the reader must take the first one), then without.
        let script = """
            import sys, openpyxl
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "名单"
            ws["A1"] = "单位"; ws["C1"] = "金额"; ws["D1"] = "说明"
            ws["A2"] = "市总工会 & 分会"; ws["B2"] = 3; ws["C2"] = 175.0; ws["D2"] = "含<尖括号>"
            ws["A3"] = 611002198503120000; ws["C3"] = 0.25
            ws["B6"] = "隔行"
            ws["A7"] = "市总工会 & 分会"
            other = wb.create_sheet("其他", 0)
            other["A1"] = "不该读到"
            wb.active = 1
            wb.save(sys.argv[1])
            """
        let result = try run(python, ["-c", script, path.path])
        #expect(result.status == 0, "openpyxl failed: \(result.stderr)")
        let rows = try XLSXReader.rows(try Data(contentsOf: path))
        // create_sheet(…, 0) puts "其他" first in the workbook, so that is the first worksheet.
        #expect(rows == [["不该读到"]])

        let script2 = """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            del wb["其他"]
            wb.save(sys.argv[1])
            """
        let result2 = try run(python, ["-c", script2, path.path])
        #expect(result2.status == 0, "openpyxl failed: \(result2.stderr)")
        let rows2 = try XLSXReader.rows(try Data(contentsOf: path))
        #expect(
            rows2 == [
                ["单位", "", "金额", "说明"],
                ["市总工会 & 分会", "3", "175", "含<尖括号>"],
                // openpyxl, like Excel, stores an 18-digit number as a float: the digits are gone and
                // the literal comes back so the importer can say so.
                ["6.1100219850312e+17", "", "0.25"],
                [],
                [],
                ["", "隔行"],
                ["市总工会 & 分会"],
            ])
    }
}

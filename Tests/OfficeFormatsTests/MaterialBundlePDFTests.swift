import Foundation
import TestSupport
import Testing

@testable import OfficeFormats

/// 材料汇总 PDF: images drawn where and how they belong (checked on pixels poppler renders),
/// everything else named on a page of its own, the case number on every page.
@Suite struct MaterialBundlePDFTests {
    static let caseNumber = "CL26022026010500000042"

    static func isRed(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Bool { r > 180 && g < 90 && b < 90 }
    static func isBlue(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Bool { b > 180 && r < 90 && g < 90 }
    static func isGreen(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Bool { g > 180 && r < 90 && b < 90 }

    @Test func imagesAreDrawnTurnedAndTheRestNamedWithTheCaseNumberOnEveryPage() throws {
        let dir = Scratch.directory("material-bundle")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Landscape RGB (kept compressed as it is): left red, right blue.
        let wide = ImageFixtures.png(width: 40, height: 20, alpha: false) { x, _ in
            x < 20 ? (255, 0, 0, 255) : (0, 0, 255, 255)
        }
        // Portrait RGBA (decoded, alpha to a soft mask): top green, bottom blue, left edge clear.
        let tall = ImageFixtures.png(width: 20, height: 40, alpha: true) { x, y in
            x < 2 ? (255, 0, 0, 0) : y < 20 ? (0, 255, 0, 255) : (0, 0, 255, 255)
        }
        // Stored on its side (left red, right blue) with EXIF orientation 6: shown red on top.
        let photo = try ImageFixtures.jpeg(in: dir, orientation: 6)
        var bundle = MaterialBundlePDF(caseNumber: Self.caseNumber, notes: ["生成时间：2026-01-05 10:00（北京时间）"])
        #expect(bundle.add(wide, caption: "身份证 第 1 份", fileName: "id-card-1.png") == .embedded)
        #expect(bundle.add(tall, caption: "身份证 第 2 份", fileName: "id-card-2.png") == .embedded)
        #expect(bundle.add(photo, caption: "银行卡 第 1 份", fileName: "bank-card-1.jpg") == .embedded)
        let pdfMaterial = Data("%PDF-1.4\n1 0 obj\n".utf8)
        #expect(
            bundle.add(pdfMaterial, caption: "出院小结 第 1 份", fileName: "discharge-summary-1.pdf")
                == .separate(reason: "PDF 文件的页面不复制到汇总中"))
        let broken = Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16] + Array(repeating: 7, count: 100))
        guard case .separate = bundle.add(broken, caption: "其他 第 1 份", fileName: "other-1.jpg") else {
            Issue.record("a damaged JPEG must not be drawn")
            return
        }
        let file = dir.appendingPathComponent("材料汇总.pdf")
        try bundle.render().write(to: file)

        let info = try run(try ExternalTool.poppler("pdfinfo"), [file.path])
        #expect(info.status == 0 && info.stderr.isEmpty, "\(info.stderr)")
        #expect(info.stdout.range(of: #"Pages:\s+6\n"#, options: .regularExpression) != nil, "\(info.stdout)")
        let pdftotext = try ExternalTool.poppler("pdftotext")
        for page in 1...6 {
            let text = try run(pdftotext, ["-f", "\(page)", "-l", "\(page)", file.path, "-"])
            #expect(text.status == 0 && text.stderr.isEmpty, "page \(page): \(text.stderr)")
            #expect(text.stdout.contains(Self.caseNumber), "page \(page) lacks the case number")
            #expect(text.stdout.contains("第 \(page) 页 / 共 6 页"))
        }
        let cover = try run(pdftotext, ["-f", "1", "-l", "1", file.path, "-"]).stdout
        #expect(cover.contains("申领材料汇总") && cover.contains("材料共 5 份") && cover.contains("见第 2 页"))
        let separate = try run(pdftotext, ["-f", "5", "-l", "5", file.path, "-"]).stdout
        #expect(separate.contains("原文件另行附上：discharge-summary-1.pdf"))

        let images = try run(try ExternalTool.poppler("pdfimages"), ["-list", file.path])
        #expect(images.status == 0)
        let rows = images.stdout.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").map(String.init) }
        #expect(
            rows.map { [$0[0], $0[2], $0[3], $0[4]] } == [
                ["2", "image", "40", "20"], ["3", "image", "20", "40"], ["3", "smask", "20", "40"],
                ["4", "image", "16", "8"],
            ])
        #expect(rows.last?[8] == "jpeg")

        // Page 2 is landscape, the picture red left of blue.
        let page2 = try ImageFixtures.render(file, page: 2, in: dir)
        #expect(page2.width > page2.height)
        let red2 = try #require(page2.box(Self.isRed))
        let blue2 = try #require(page2.box(Self.isBlue))
        #expect(red2.2 < blue2.0 && abs(red2.1 - blue2.1) <= 1)
        // Page 3: green above blue, the clear edge white.
        let page3 = try ImageFixtures.render(file, page: 3, in: dir)
        let green3 = try #require(page3.box(Self.isGreen))
        let blue3 = try #require(page3.box(Self.isBlue))
        #expect(page3.width < page3.height && green3.3 < blue3.1)
        #expect(page3.box(Self.isRed) == nil)
        // Page 4: the JPEG turned upright, so portrait with red on top of blue.
        let page4 = try ImageFixtures.render(file, page: 4, in: dir)
        let red4 = try #require(page4.box(Self.isRed))
        let blue4 = try #require(page4.box(Self.isBlue))
        #expect(page4.width < page4.height && red4.3 < blue4.1 && abs(red4.0 - blue4.0) <= 2)
    }

    @Test func sizesAndDamagedPNGs() {
        #expect(MaterialBundlePDF.sizeText(1000) == "1000 B")
        #expect(MaterialBundlePDF.sizeText(400_008) == "390.6 KB")
        #expect(MaterialBundlePDF.sizeText(1_500_009) == "1.43 MB")
        let good = [UInt8](ImageFixtures.png(width: 4, height: 4, alpha: false) { _, _ in (1, 2, 3, 255) })
        guard case .success(let image) = PDFImage.make(good) else {
            Issue.record("a good PNG must decode")
            return
        }
        #expect(image.width == 4 && image.height == 4 && image.softMask == nil)
        // Cut short, or with a byte of the compressed data changed: refused, never drawn.
        for damaged in [Array(good.prefix(good.count - 20)), good.enumerated().map { $0 == 45 ? $1 ^ 0xFF : $1 }] {
            guard case .failure = PDFImage.make(damaged) else {
                Issue.record("a damaged PNG must be refused")
                continue
            }
        }
    }

    /// Every prefix and many one-byte changes of a PNG and a JPEG: refused or drawn, never a crash.
    @Test func parsersSurviveCutAndChangedFiles() throws {
        let png = [UInt8](
            ImageFixtures.png(width: 6, height: 5, alpha: true) { x, y in (UInt8(x * 40), UInt8(y * 50), 9, 200) })
        let jpeg = [UInt8](try ImageFixtures.jpeg(in: Scratch.directory("jpeg-fuzz"), orientation: 8))
        #expect(PDFImage.jpeg(jpeg)?.orientation == 8)
        var random = SplitMix64(seed: 14)
        for file in [png, jpeg] {
            for cut in 0..<file.count { _ = PDFImage.make(Array(file.prefix(cut))) }
            for _ in 0..<2000 {
                var changed = file
                changed[Int(random.next() % UInt64(file.count))] = UInt8(truncatingIfNeeded: random.next())
                _ = PDFImage.make(changed)
            }
        }
    }
}

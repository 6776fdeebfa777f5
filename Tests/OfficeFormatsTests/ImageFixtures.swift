import Deflate
import Foundation
import TestSupport

@testable import OfficeFormats

/// Real image files for the 材料汇总 tests, made here rather than checked in: PNGs by a small
/// encoder (every scanline filter type in turn, so decoding must undo each), a JPEG by having
/// poppler render a two-colour page, and rendered pages read back as PPM pixels.
enum ImageFixtures {
    typealias RGBA = (r: UInt8, g: UInt8, b: UInt8, a: UInt8)

    /// A PNG of colour type 2 (RGB) or 6 (RGBA), 8 bits; row r uses filter r % 5.
    static func png(width: Int, height: Int, alpha: Bool, pixel: (Int, Int) -> RGBA) -> Data {
        let channels = alpha ? 4 : 3
        let rowBytes = width * channels
        var previous = [UInt8](repeating: 0, count: rowBytes)
        var raw: [UInt8] = []
        for y in 0..<height {
            var row: [UInt8] = []
            for x in 0..<width {
                let p = pixel(x, y)
                row += alpha ? [p.r, p.g, p.b, p.a] : [p.r, p.g, p.b]
            }
            let filter = y % 5
            raw.append(UInt8(filter))
            for i in 0..<rowBytes {
                let left = i >= channels ? Int(row[i - channels]) : 0
                let up = Int(previous[i])
                let upLeft = i >= channels ? Int(previous[i - channels]) : 0
                let predictor: Int
                switch filter {
                case 1: predictor = left
                case 2: predictor = up
                case 3: predictor = (left + up) / 2
                case 4:
                    let p = left + up - upLeft
                    let (pa, pb, pc) = (abs(p - left), abs(p - up), abs(p - upLeft))
                    predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft
                default: predictor = 0
                }
                raw.append(UInt8(truncatingIfNeeded: Int(row[i]) - predictor))
            }
            previous = row
        }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be32(data.count) + body + be32(Int(Deflate.crc32(body)))
        }
        let header = be32(width) + be32(height) + [8, alpha ? 6 : 2, 0, 0, 0]
        return Data(
            PNGImage.signature + chunk("IHDR", header) + chunk("IDAT", PDFImage.zlib(raw)!) + chunk("IEND", []))
    }

    static func be32(_ value: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }

    /// A 16×8 JPEG, left half red and right half blue, rendered by pdftoppm from a PDF page of
    /// two rectangles; with `orientation` an EXIF segment saying how to turn it is added.
    static func jpeg(in dir: URL, orientation: Int? = nil) throws -> Data {
        var file = PDFObjectFile()
        let page = file.reserve()
        let content = file.reserve()
        file.set(content, stream: Array("1 0 0 rg 0 0 8 8 re f 0 0 1 rg 8 0 8 8 re f".utf8))
        file.set(page, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 16 8] /Contents \(content) 0 R >>")
        let source = dir.appendingPathComponent("two-colours.pdf")
        try file.render(pages: [page], title: "", usedCodes: []).write(to: source)
        let output = dir.appendingPathComponent("two-colours")
        let made = try run(
            try ExternalTool.poppler("pdftoppm"), ["-jpeg", "-r", "72", "-singlefile", source.path, output.path])
        guard made.status == 0 else { throw SupportError("pdftoppm -jpeg: \(made.stderr)") }
        var jpeg = [UInt8](try Data(contentsOf: output.appendingPathExtension("jpg")))
        if let orientation {
            // APP1: "Exif\0\0", big-endian TIFF header, IFD0 with one entry (0x0112, SHORT, 1).
            let exif: [UInt8] =
                Array("Exif".utf8) + [0, 0] + Array("MM".utf8) + [0, 42] + be32(8) + [0, 1]
                + [0x01, 0x12, 0, 3] + be32(1) + [0, UInt8(orientation), 0, 0] + be32(0)
            jpeg.insert(contentsOf: [0xFF, 0xE1, 0, UInt8(exif.count + 2)] + exif, at: 2)
        }
        return Data(jpeg)
    }

    /// One page of a PDF rendered at 72 dpi (one pixel per point).
    struct Rendered {
        let width: Int
        let height: Int
        let pixels: [UInt8]

        /// The smallest box (x0, y0, x1, y1; y down) holding the pixels that pass `test`.
        func box(_ test: (UInt8, UInt8, UInt8) -> Bool) -> (Int, Int, Int, Int)? {
            var result: (Int, Int, Int, Int)?
            for y in 0..<height {
                for x in 0..<width {
                    let i = (y * width + x) * 3
                    guard test(pixels[i], pixels[i + 1], pixels[i + 2]) else { continue }
                    let r = result ?? (x, y, x, y)
                    result = (min(r.0, x), min(r.1, y), max(r.2, x), max(r.3, y))
                }
            }
            return result
        }
    }

    static func render(_ pdf: URL, page: Int, in dir: URL) throws -> Rendered {
        let output = dir.appendingPathComponent("page-\(page)")
        let made = try run(
            try ExternalTool.poppler("pdftoppm"),
            ["-r", "72", "-f", "\(page)", "-l", "\(page)", "-singlefile", pdf.path, output.path])
        guard made.status == 0 else { throw SupportError("pdftoppm: \(made.stderr)") }
        let bytes = [UInt8](try Data(contentsOf: output.appendingPathExtension("ppm")))
        // "P6", width, height, maximum value, each followed by one whitespace byte.
        var fields: [Int] = []
        var index = 2
        while fields.count < 3 {
            while bytes[index] == 0x20 || bytes[index] == 0x0A { index += 1 }
            var value = 0
            while (0x30...0x39).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            fields.append(value)
        }
        return Rendered(width: fields[0], height: fields[1], pixels: Array(bytes[(index + 1)...]))
    }
}

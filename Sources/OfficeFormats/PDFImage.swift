import Deflate
import Foundation

/// A raster image ready to be a PDF image XObject. A JPEG goes in unchanged (DCTDecode: the
/// viewer decodes it); a PNG is re-packed into FlateDecode (PNGImage.swift). Anything the
/// parsers do not fully understand is refused with a reason rather than drawn wrongly.
struct PDFImage: Sendable {
    var width: Int
    var height: Int
    /// The image dictionary's entries other than /Type, /Subtype, /Width, /Height, /Length.
    var entries: String
    var bytes: [UInt8]
    /// Transparency as a separate grey image (PNG with an alpha channel).
    var softMask: [UInt8]?
    /// EXIF orientation, 1–8 (1: as stored). Phone cameras store the sensor's rows and record
    /// how to turn them; drawing them as stored would put many photos on their side.
    var orientation = 1

    /// The size as shown, after the orientation is applied.
    var shownSize: (width: Int, height: Int) { orientation >= 5 ? (height, width) : (width, height) }

    struct Unsupported: Error, Sendable {
        /// In Chinese, for the page that stands in for the image.
        let reason: String
    }

    /// The image, or why it cannot be drawn; nil when the bytes are neither JPEG nor PNG.
    static func make(_ data: [UInt8]) -> Result<PDFImage, Unsupported>? {
        if data.starts(with: [0xFF, 0xD8, 0xFF]) {
            return jpeg(data).map(Result.success) ?? .failure(Unsupported(reason: "JPEG 图像无法解析（文件可能已损坏或格式少见）"))
        }
        if data.starts(with: PNGImage.signature) { return PNGImage.decode(data) }
        return nil
    }

    // MARK: JPEG

    /// Reads the frame header for size and colour components, an Adobe marker (inverted CMYK)
    /// and the EXIF orientation. Baseline, extended and progressive Huffman JPEGs only: those
    /// every viewer's DCTDecode filter supports.
    static func jpeg(_ b: [UInt8]) -> PDFImage? {
        var i = 2
        var orientation = 1
        var adobe = false
        func be16(_ at: Int) -> Int { Int(b[at]) << 8 | Int(b[at + 1]) }
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF {  // fill byte
                i += 1
                continue
            }
            if marker == 0x01 || (0xD0...0xD7).contains(marker) {  // no length
                i += 2
                continue
            }
            if marker == 0xD9 || marker == 0xDA { return nil }  // end or scan before any frame header
            let length = be16(i + 2)
            let start = i + 4
            guard length >= 2, i + 2 + length <= b.count else { return nil }
            switch marker {
            case 0xE1: orientation = exifOrientation(b[start..<(i + 2 + length)]) ?? orientation
            case 0xEE: adobe = b[start...].starts(with: Array("Adobe".utf8))
            case 0xC0, 0xC1, 0xC2:
                guard length >= 8 else { return nil }
                let (height, width, components) = (be16(start + 1), be16(start + 3), Int(b[start + 5]))
                guard b[start] == 8, width > 0, height > 0 else { return nil }
                let space: String
                switch components {
                case 1: space = "/DeviceGray"
                case 3: space = "/DeviceRGB"
                // Adobe's CMYK JPEGs store inverted values.
                case 4: space = "/DeviceCMYK" + (adobe ? " /Decode [1 0 1 0 1 0 1 0]" : "")
                default: return nil
                }
                return PDFImage(
                    width: width, height: height,
                    entries: "/ColorSpace \(space) /BitsPerComponent 8 /Filter /DCTDecode", bytes: b,
                    orientation: orientation)
            case 0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF: return nil  // lossless, hierarchical, arithmetic
            default: break
            }
            i += 2 + length
        }
        return nil
    }

    /// The Orientation tag (0x0112) of IFD0 in an APP1 "Exif" segment.
    static func exifOrientation(_ segment: ArraySlice<UInt8>) -> Int? {
        let s = Array(segment)
        guard s.count >= 14, s.starts(with: Array("Exif".utf8) + [0, 0]) else { return nil }
        let tiff = 6
        let little = s[tiff] == 0x49  // "II"; "MM" is big-endian
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= s.count else { return nil }
            return little ? Int(s[at]) | Int(s[at + 1]) << 8 : Int(s[at]) << 8 | Int(s[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let a = u16(at), let b = u16(at + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard let ifd = u32(tiff + 4), let count = u16(tiff + ifd) else { return nil }
        for entry in 0..<min(count, 200) {
            let at = tiff + ifd + 2 + entry * 12
            guard let tag = u16(at) else { return nil }
            if tag == 0x0112, u16(at + 2) == 3, let value = u16(at + 8), (1...8).contains(value) { return value }
        }
        return nil
    }

    // MARK: Drawing

    /// The `cm` matrix that draws the image's unit square into the box (x, y, w, h) turned as
    /// its orientation says; w and h are the shown size.
    static func matrix(orientation: Int, x: Double, y: Double, w: Double, h: Double) -> [Double] {
        switch orientation {
        case 2: [-w, 0, 0, h, x + w, y]
        case 3: [-w, 0, 0, -h, x + w, y + h]
        case 4: [w, 0, 0, -h, x, y + h]
        case 5: [0, -h, -w, 0, x + w, y + h]
        case 6: [0, -h, w, 0, x, y + h]
        case 7: [0, h, w, 0, x, y]
        case 8: [0, h, -w, 0, x + w, y]
        default: [w, 0, 0, h, x, y]
        }
    }

    /// A zlib stream (what FlateDecode reads): `Deflate` writes raw deflate, so the two-byte
    /// header and the Adler-32 trailer are added here.
    static func zlib(_ bytes: [UInt8]) -> [UInt8]? {
        guard let raw = try? Deflate.compress(bytes, format: .raw) else { return nil }
        var a: UInt32 = 1
        var b: UInt32 = 0
        var index = 0
        while index < bytes.count {
            // 5552 bytes is the most that can be summed before the modulo is needed.
            let end = min(index + 5552, bytes.count)
            for byte in bytes[index..<end] {
                a += UInt32(byte)
                b += a
            }
            a %= 65521
            b %= 65521
            index = end
        }
        let adler = b << 16 | a
        return [0x78, 0x9C] + raw + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: adler >> $0) }
    }
}

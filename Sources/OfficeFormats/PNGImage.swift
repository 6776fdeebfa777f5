import Deflate
import Foundation

/// PNG into a PDF image. Grey, RGB and palette images of up to 8 bits keep their compressed
/// data as it is: FlateDecode with the PNG predictor reads it unchanged. It is still inflated
/// here and every chunk's CRC checked, so a damaged file is refused rather than drawn broken.
/// Images with alpha or 16-bit samples are decoded, reduced to 8 bits and re-compressed, the
/// alpha becoming a soft mask. Interlaced PNGs are refused (phones and scanners do not write them).
enum PNGImage {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Limits on what is unpacked: a 10 MB PNG can inflate a thousandfold. 128 MiB holds a
    /// 12-megapixel photo even at 16 bits with alpha.
    static let maxPixels = 40_000_000
    static let maxUnpackedBytes = 128 * 1024 * 1024

    static func decode(_ b: [UInt8]) -> Result<PDFImage, PDFImage.Unsupported> {
        func refuse(_ reason: String) -> Result<PDFImage, PDFImage.Unsupported> { .failure(.init(reason: reason)) }
        let damaged = refuse("PNG 图像无法解析（文件可能已损坏）")
        var header: [UInt8] = []
        var palette: [UInt8] = []
        var compressed: [UInt8] = []
        var i = signature.count
        func be32(_ at: Int) -> Int { b[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        while i + 12 <= b.count {
            let length = be32(i)
            let type = String(decoding: b[i + 4..<i + 8], as: UTF8.self)
            guard length <= b.count - i - 12,
                Deflate.crc32(b[i + 4..<i + 8 + length]) == UInt32(truncatingIfNeeded: be32(i + 8 + length))
            else { return damaged }
            let data = b[i + 8..<i + 8 + length]
            switch type {
            case "IHDR": header = Array(data)
            case "PLTE": palette = Array(data)
            case "IDAT": compressed += data
            default: break
            }
            i += 12 + length
            if type == "IEND" { break }
        }
        guard header.count == 13, !compressed.isEmpty else { return damaged }
        let width = header[0..<4].reduce(0) { $0 << 8 | Int($1) }
        let height = header[4..<8].reduce(0) { $0 << 8 | Int($1) }
        let (depth, colorType, interlace) = (Int(header[8]), Int(header[9]), header[12])
        let channels: Int
        switch colorType {
        case 0: channels = 1
        case 2: channels = 3
        case 3: channels = 1
        case 4: channels = 2
        case 6: channels = 4
        default: return damaged
        }
        guard width > 0, height > 0, [1, 2, 4, 8, 16].contains(depth), header[10] == 0, header[11] == 0 else {
            return damaged
        }
        guard interlace == 0 else { return refuse("隔行扫描的 PNG 图像暂不支持并入") }
        guard width <= maxPixels / height else { return refuse("PNG 图像像素过多，无法并入") }
        let rowBytes = (width * channels * depth + 7) / 8
        guard (rowBytes + 1) * height <= maxUnpackedBytes else { return refuse("PNG 图像过大，无法并入") }
        guard let raw = try? Deflate.decompress(compressed, format: .gzipOrZlib, limit: (rowBytes + 1) * height),
            raw.count == (rowBytes + 1) * height
        else { return damaged }

        var space = channels >= 3 ? "/DeviceRGB" : "/DeviceGray"
        if colorType == 3 {
            let entries = min(palette.count / 3, 256)
            guard entries > 0, depth <= 8 else { return damaged }
            let hex = palette.prefix(entries * 3).map { String(format: "%02X", $0) }.joined()
            space = "[/Indexed /DeviceRGB \(entries - 1) <\(hex)>]"
        }
        if depth <= 8 && (colorType == 0 || colorType == 2 || colorType == 3) {
            let parameters = "/Predictor 15 /Colors \(channels) /BitsPerComponent \(depth) /Columns \(width)"
            return .success(
                PDFImage(
                    width: width, height: height,
                    entries: "/ColorSpace \(space) /BitsPerComponent \(depth) /Filter /FlateDecode "
                        + "/DecodeParms << \(parameters) >>", bytes: compressed))
        }
        guard depth >= 8, let rows = unfilter(raw, rowBytes: rowBytes, height: height, pixelBytes: channels * depth / 8)
        else { return damaged }
        // The high byte of a 16-bit sample is its 8-bit value.
        let step = depth / 8
        let hasAlpha = colorType == 4 || colorType == 6
        let colors = hasAlpha ? channels - 1 : channels
        var color: [UInt8] = []
        var alpha: [UInt8] = []
        color.reserveCapacity(width * height * colors)
        if hasAlpha { alpha.reserveCapacity(width * height) }
        for sample in stride(from: 0, to: rows.count, by: step) {
            let channel = (sample / step) % channels
            if channel < colors { color.append(rows[sample]) } else { alpha.append(rows[sample]) }
        }
        guard let packed = PDFImage.zlib(color) else { return damaged }
        var image = PDFImage(
            width: width, height: height, entries: "/ColorSpace \(space) /BitsPerComponent 8 /Filter /FlateDecode",
            bytes: packed)
        if hasAlpha, alpha.contains(where: { $0 != 255 }) {
            guard let mask = PDFImage.zlib(alpha) else { return damaged }
            image.softMask = mask
        }
        return .success(image)
    }

    /// The scanlines with their filters undone (PNG specification §9), filter bytes dropped.
    static func unfilter(_ raw: [UInt8], rowBytes: Int, height: Int, pixelBytes: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: rowBytes * height)
        let bpp = max(1, pixelBytes)
        for row in 0..<height {
            let filter = raw[row * (rowBytes + 1)]
            let source = row * (rowBytes + 1) + 1
            let base = row * rowBytes
            for x in 0..<rowBytes {
                let left = x >= bpp ? Int(out[base + x - bpp]) : 0
                let up = row > 0 ? Int(out[base - rowBytes + x]) : 0
                let upLeft = row > 0 && x >= bpp ? Int(out[base - rowBytes + x - bpp]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = left
                case 2: predictor = up
                case 3: predictor = (left + up) / 2
                case 4:
                    let p = left + up - upLeft
                    let (pa, pb, pc) = (abs(p - left), abs(p - up), abs(p - upLeft))
                    predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft
                default: return nil
                }
                out[base + x] = UInt8(truncatingIfNeeded: Int(raw[source + x]) + predictor)
            }
        }
        return out
    }
}

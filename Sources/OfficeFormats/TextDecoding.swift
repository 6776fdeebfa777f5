import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decodes text files clerks produce: UTF-8 (with or without BOM) from newer Excel and WPS,
/// or GBK / GB18030 from "CSV (逗号分隔)" on Chinese Windows.
public enum TextDecoding {
    public static func decode(_ data: Data) throws(OfficeFormatError) -> String {
        var bytes = [UInt8](data)
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw OfficeFormatError(
                "文件是 UTF-16 编码的“Unicode 文本”，无法按 CSV 读取。请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重试")
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            bytes.removeFirst(3)
        }
        if bytes.contains(0) {
            throw OfficeFormatError("文件含有二进制内容，不是 CSV 文本文件。请用 Excel 或 WPS 另存为 .xlsx 或 .csv 后重试")
        }
        if let text = utf8(bytes) { return text }
        if let text = gb18030(bytes) { return text }
        throw OfficeFormatError(
            "无法识别文件的文字编码（既不是 UTF-8 也不是 GBK）。请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重试")
    }

    /// The text when `bytes` are valid UTF-8. (String(validating:) would need macOS 15.)
    static func utf8(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        // Decoding replaces invalid sequences with U+FFFD, which changes the bytes.
        return text.utf8.elementsEqual(bytes) ? text : nil
    }

    /// GB18030 is a superset of GBK and GB2312, so one converter covers all three.
    static func gb18030(_ bytes: [UInt8]) -> String? {
        let cd = iconv_open("UTF-8", "GB18030")
        guard let cd, cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        // A GB18030 character never needs more than twice its bytes in UTF-8.
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr = inBuf.baseAddress
                var inLeft = inBuf.count
                var outPtr = outBuf.baseAddress
                var outLeft = outBuf.count
                // iconv returns (size_t)-1 on invalid or truncated sequences.
                let status = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                return status == -1 || inLeft != 0 ? nil : outBuf.count - outLeft
            }
        }
        guard let produced else { return nil }
        return utf8(output[..<produced].map { UInt8(bitPattern: $0) })
    }
}

import Deflate

/// Just enough of the ZIP format for OOXML packages: writing stored or deflated entries, and
/// reading archives from Excel, WPS, LibreOffice and Python libraries. No ZIP64, no encryption.
struct ZipWriter {
    private var body: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0

    /// A fixed timestamp (2024-01-01 00:00) keeps output byte-for-byte reproducible.
    private static let dosTime: UInt16 = 0
    private static let dosDate: UInt16 = UInt16((2024 - 1980) << 9 | 1 << 5 | 1)

    mutating func add(_ path: String, _ content: [UInt8], deflate: Bool = true) {
        let name = Array(path.utf8)
        let crc = Deflate.crc32(content)
        var method: UInt16 = 0
        var stored = content
        if deflate, let packed = try? Deflate.compress(content, format: .raw), packed.count < content.count {
            method = 8
            stored = packed
        }
        let offset = UInt32(body.count)
        // Bit 11: names are UTF-8.
        let flags: UInt16 = 0x0800
        body.le32(0x0403_4b50)
        body.le16(20)
        body.le16(flags)
        body.le16(method)
        body.le16(Self.dosTime)
        body.le16(Self.dosDate)
        body.le32(crc)
        body.le32(UInt32(stored.count))
        body.le32(UInt32(content.count))
        body.le16(UInt16(name.count))
        body.le16(0)
        body += name
        body += stored

        central.le32(0x0201_4b50)
        central.le16(20)
        central.le16(20)
        central.le16(flags)
        central.le16(method)
        central.le16(Self.dosTime)
        central.le16(Self.dosDate)
        central.le32(crc)
        central.le32(UInt32(stored.count))
        central.le32(UInt32(content.count))
        central.le16(UInt16(name.count))
        central.le16(0)
        central.le16(0)
        central.le16(0)
        central.le16(0)
        central.le32(0)
        central.le32(offset)
        central += name
        count += 1
    }

    func finish() -> [UInt8] {
        var out = body + central
        out.le32(0x0605_4b50)
        out.le16(0)
        out.le16(0)
        out.le16(UInt16(count))
        out.le16(UInt16(count))
        out.le32(UInt32(central.count))
        out.le32(UInt32(body.count))
        out.le16(0)
        return out
    }
}

/// Reads entries through the central directory, so sizes are known even when the local
/// headers defer them to data descriptors (bit 3), as streaming writers do.
struct ZipReader {
    struct Entry {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    static let maxEntries = 10_000
    static let maxTotalSize = 200 * 1024 * 1024

    let bytes: [UInt8]
    private(set) var entries: [String: Entry] = [:]
    private(set) var names: [String] = []

    init(_ bytes: [UInt8]) throws(OfficeFormatError) {
        self.bytes = bytes
        guard let eocd = Self.findEndOfCentralDirectory(bytes) else { throw .corruptWorkbook }
        guard let total = bytes.u16(eocd + 10), let cdSize = bytes.u32(eocd + 12),
            let cdOffset = bytes.u32(eocd + 16)
        else { throw .corruptWorkbook }
        // 0xFFFF / 0xFFFFFFFF mark ZIP64, which no workbook of sane size needs.
        if total == 0xFFFF || cdOffset == 0xFFFF_FFFF { throw .workbookTooLarge }
        guard Int(total) <= Self.maxEntries else { throw .workbookTooLarge }
        guard Int(cdOffset) + Int(cdSize) <= eocd else { throw .corruptWorkbook }
        var p = Int(cdOffset)
        var declaredTotal = 0
        for _ in 0..<Int(total) {
            guard bytes.u32(p) == 0x0201_4b50,
                let flags = bytes.u16(p + 8), let method = bytes.u16(p + 10),
                let crc = bytes.u32(p + 16), let csize = bytes.u32(p + 20), let usize = bytes.u32(p + 24),
                let nameLen = bytes.u16(p + 28), let extraLen = bytes.u16(p + 30),
                let commentLen = bytes.u16(p + 32), let local = bytes.u32(p + 42),
                p + 46 + Int(nameLen) <= bytes.count
            else { throw .corruptWorkbook }
            if csize == 0xFFFF_FFFF || usize == 0xFFFF_FFFF || local == 0xFFFF_FFFF { throw .workbookTooLarge }
            let nameBytes = bytes[(p + 46)..<(p + 46 + Int(nameLen))]
            // Old tools write CP437 names; OOXML part names are ASCII, so lossy decoding is harmless.
            let name = String(decoding: nameBytes, as: UTF8.self)
            declaredTotal += Int(usize)
            guard declaredTotal <= Self.maxTotalSize else { throw .workbookTooLarge }
            if entries[name] == nil {
                names.append(name)
                entries[name] = Entry(
                    name: name, method: method, flags: flags, crc: crc,
                    compressedSize: Int(csize), size: Int(usize), localHeaderOffset: Int(local))
            }
            p += 46 + Int(nameLen) + Int(extraLen) + Int(commentLen)
        }
    }

    /// The uncompressed content of `name`, or nil when the archive has no such entry.
    func read(_ name: String) throws(OfficeFormatError) -> [UInt8]? {
        guard let entry = entries[name] else { return nil }
        if entry.flags & 1 != 0 { throw .encryptedWorkbook }
        let h = entry.localHeaderOffset
        guard bytes.u32(h) == 0x0403_4b50, let nameLen = bytes.u16(h + 26), let extraLen = bytes.u16(h + 28)
        else { throw .corruptWorkbook }
        let start = h + 30 + Int(nameLen) + Int(extraLen)
        guard start + entry.compressedSize <= bytes.count else { throw .corruptWorkbook }
        let raw = bytes[start..<(start + entry.compressedSize)]
        let content: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.size else { throw .corruptWorkbook }
            content = Array(raw)
        case 8:
            // A lying size field cannot make us allocate without bound: at most the declared size.
            guard let inflated = try? Deflate.decompress(raw, format: .raw, limit: entry.size),
                inflated.count == entry.size
            else { throw .corruptWorkbook }
            content = inflated
        default:
            throw OfficeFormatError("工作簿使用了不支持的压缩方式，请用 Excel 或 WPS 打开后另存为 .xlsx 再导入")
        }
        guard Deflate.crc32(content) == entry.crc else { throw .corruptWorkbook }
        return content
    }

    /// The end record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
    private static func findEndOfCentralDirectory(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var p = bytes.count - 22
        while p >= lowest {
            if bytes[p] == 0x50, bytes[p + 1] == 0x4b, bytes[p + 2] == 0x05, bytes[p + 3] == 0x06 { return p }
            p -= 1
        }
        return nil
    }
}

extension [UInt8] {
    mutating func le16(_ v: UInt16) {
        append(UInt8(v & 0xFF))
        append(UInt8(v >> 8))
    }

    mutating func le32(_ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((v >> UInt32(shift)) & 0xFF)) }
    }

    /// Little-endian reads that return nil instead of trapping past the end.
    func u16(_ at: Int) -> UInt16? {
        guard at >= 0, at + 2 <= count else { return nil }
        return UInt16(self[at]) | UInt16(self[at + 1]) << 8
    }

    func u32(_ at: Int) -> UInt32? {
        guard at >= 0, at + 4 <= count else { return nil }
        return UInt32(self[at]) | UInt32(self[at + 1]) << 8 | UInt32(self[at + 2]) << 16 | UInt32(self[at + 3]) << 24
    }
}

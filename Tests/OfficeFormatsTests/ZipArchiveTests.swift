import Deflate
import Foundation
import TestSupport
import Testing

@testable import OfficeFormats

@Suite struct ZipArchiveTests {
    @Test func roundTripStoredAndDeflatedEntries() throws {
        var writer = ZipWriter()
        let repetitive = Array(String(repeating: "参保人信息 0123456789 ", count: 500).utf8)
        writer.add("xl/big.xml", repetitive)
        writer.add("small.txt", Array("ab".utf8))
        writer.add("empty", [])
        let bytes = writer.finish()
        // The repetitive entry must really have been deflated.
        #expect(bytes.count < repetitive.count / 5)

        let reader = try ZipReader(bytes)
        #expect(reader.names == ["xl/big.xml", "small.txt", "empty"])
        #expect(reader.entries["xl/big.xml"]?.method == 8)
        #expect(reader.entries["small.txt"]?.method == 0)
        #expect(try reader.read("xl/big.xml") == repetitive)
        #expect(try reader.read("small.txt") == Array("ab".utf8))
        #expect(try reader.read("empty") == [])
        #expect(try reader.read("missing") == nil)
    }

    @Test func crc32MatchesKnownValue() {
        // The standard check value of CRC-32 for "123456789".
        #expect(Deflate.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func dataDescriptorEntriesUseCentralDirectorySizes() throws {
        // Rewrite a local header the way streaming writers do: flag bit 3, zero sizes and CRC.
        var writer = ZipWriter()
        let content = Array(String(repeating: "数据描述符 ", count: 100).utf8)
        writer.add("a.xml", content)
        var bytes = writer.finish()
        bytes[6] |= 0x08
        for i in 14..<26 { bytes[i] = 0 }
        #expect(try ZipReader(bytes).read("a.xml") == content)
    }

    @Test func corruptEntryThrows() throws {
        var writer = ZipWriter()
        writer.add("a.xml", Array(String(repeating: "x", count: 1000).utf8))
        var bytes = writer.finish()
        bytes[40] ^= 0xFF  // inside the deflated data
        let reader = try ZipReader(bytes)
        #expect(throws: OfficeFormatError.self) { try reader.read("a.xml") }
    }

    @Test func inflatedSizeIsCapped() {
        // An entry claiming 300 MB exceeds the 200 MB budget before anything is inflated.
        var writer = ZipWriter()
        writer.add("bomb.xml", Array(repeating: 0x41, count: 1000))
        var bytes = writer.finish()
        let central = bytes.count - 22 - (46 + "bomb.xml".utf8.count)
        let claimed = UInt32(300 * 1024 * 1024)
        for k in 0..<4 { bytes[central + 24 + k] = UInt8((claimed >> UInt32(8 * k)) & 0xFF) }
        #expect(throws: OfficeFormatError.workbookTooLarge) { try ZipReader(bytes) }
    }

    @Test func entryLargerThanDeclaredIsRefused() throws {
        // A size field understating the content must not let inflation run past it.
        var writer = ZipWriter()
        writer.add("a.xml", Array(repeating: 0x41, count: 5000))
        var bytes = writer.finish()
        let central = bytes.count - 22 - (46 + "a.xml".utf8.count)
        bytes[central + 24] = 10
        bytes[central + 25] = 0
        let reader = try ZipReader(bytes)
        #expect(throws: OfficeFormatError.corruptWorkbook) { try reader.read("a.xml") }
    }

    @Test func garbageIsRejected() {
        #expect(throws: OfficeFormatError.self) { try ZipReader([]) }
        #expect(throws: OfficeFormatError.self) { try ZipReader(Array("PK\u{3}\u{4} not a zip at all".utf8)) }
        var rng = SplitMix64(environment: "ZIP_NOISE_SEED", default: 0x2109)
        for _ in 0..<50 {
            let noise = rng.bytes(rng.int(0...299))
            #expect(throws: OfficeFormatError.self, "\(rng.label)") { try XLSXReader.rows(noise) }
        }
    }
}

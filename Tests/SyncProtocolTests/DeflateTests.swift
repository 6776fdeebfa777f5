import Deflate
import Foundation
import PropertyBased
import SyncProtocol
import Testing

/// The one zlib wrapper, for both of its users: gzip bodies and ZIP entries.
@Suite struct DeflateTests {
    static let bytes = Gen<UInt8>.oneOf(Gen.uint8().eraseToAny(), WireGen.element([0, 0x20, 0x1f, 0x8b] as [UInt8]))
        .array(of: 0...4096).eraseToAny()

    @Test func gzipAndRawStreamsRoundTrip() throws {
        try forEachValue(Self.bytes, seed: (41, 42, 43, 44), count: 200) { input, label in
            let packed = try Gzip.compress(Data(input))
            #expect(Gzip.isGzip(packed), "\(label)")
            #expect(try Gzip.decompress(packed, limit: input.count) == Data(input), "\(label)")
            let raw = try Deflate.compress(input, format: .raw)
            #expect(try Deflate.decompress(raw, format: .raw, limit: input.count) == input, "\(label)")
        }
    }

    @Test func inflationIsCappedAndDamageIsAnError() throws {
        let text = Data(String(repeating: "职工互助保障 ", count: 10_000).utf8)
        let packed = try Gzip.compress(text)
        #expect(packed.count < text.count / 10)
        #expect(throws: Gzip.Failure.tooLarge) { try Gzip.decompress(packed, limit: text.count - 1) }
        #expect(throws: Gzip.Failure.corrupt) { try Gzip.decompress(Data([0x1f, 0x8b, 1, 2, 3]), limit: 1000) }
        // Cut short anywhere, or followed by garbage: refused, never read as something shorter.
        for cut in [10, packed.count / 2, packed.count - 1] {
            #expect(throws: Gzip.Failure.corrupt) { try Gzip.decompress(packed.prefix(cut), limit: 1 << 20) }
        }
        #expect(throws: Gzip.Failure.corrupt) { try Gzip.decompress(packed + Data([0x41]), limit: 1 << 20) }
        #expect(throws: Deflate.Failure.corrupt) {
            try Deflate.decompress([0xFF, 0xFF, 0xFF], format: .raw, limit: 100)
        }
    }
}

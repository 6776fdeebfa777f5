import TestSupport
import Testing

@testable import SyncProtocol

/// The scanner reads plain string text eight bytes at a time; the word test must stop exactly
/// where the byte-by-byte test would (a quote, a backslash, a control byte), in any position.
@Suite struct JSONScannerWordTests {
    static func stops(_ byte: UInt8) -> Bool { byte == 0x22 || byte == 0x5C || byte < 0x20 }

    static func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) }
    }

    @Test func everyByteInEveryPosition() {
        var wrong = 0
        for position in 0..<8 {
            for byte in UInt8.min...UInt8.max {
                for filler: UInt8 in [0x61, 0x80, 0xE8, 0x7F, 0x20] {
                    var bytes = [UInt8](repeating: filler, count: 8)
                    bytes[position] = byte
                    if JSONScanner.stopsPlainText(Self.word(bytes)) != Self.stops(byte) { wrong += 1 }
                }
            }
        }
        #expect(wrong == 0)
    }

    @Test func randomWordsAgreeWithTheByteTest() {
        var random = SplitMix64(environment: "SCANNER_WORD_SEED", default: 8)
        var wrong = 0
        var stopped = 0
        for _ in 0..<200_000 {
            // Bytes mostly from near the stopping values, so both answers come often.
            let bytes = (0..<8).map { _ in
                [UInt8(random.next() & 0xFF), 0x22, 0x5C, 0x1F, 0x20, 0x21, 0x5B, 0x5D, 0x61][Int(random.next() % 9)]
            }
            let expected = bytes.contains(where: Self.stops)
            if expected { stopped += 1 }
            if JSONScanner.stopsPlainText(Self.word(bytes)) != expected { wrong += 1 }
        }
        #expect(wrong == 0)
        #expect(stopped > 1000 && stopped < 199_000)
    }
}

import Foundation
import MutualAidDomain
import Testing

/// Digests are stored and compared as text on both sides: the hex must stay exactly what
/// `String(format: "%02x")` wrote before it was replaced.
struct RecordDigestTests {
    @Test func hexIsLowerCaseTwoDigitsPerByte() {
        #expect(RecordDigest.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(RecordDigest.hex([UInt8]()) == "")
    }

    @Test func hexMatchesFormatForEveryByte() {
        let all = (0...255).map { UInt8($0) }
        #expect(RecordDigest.hex(all) == all.map { String(format: "%02x", $0) }.joined())
    }
}

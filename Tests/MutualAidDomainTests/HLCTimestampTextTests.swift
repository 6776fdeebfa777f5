import MutualAidDomain
import Testing

/// The stamp's text form is read byte by byte at fixed positions; it must accept exactly what
/// `description` writes and nothing near it.
struct HLCTimestampTextTests {
    @Test func readsWhatItWrites() throws {
        for stamp in [
            HLCTimestamp(millis: 1_764_560_000_123, counter: 42, node: "dev-a-1"),
            HLCTimestamp(millis: 9_999_999_999_999_999, counter: 99_999, node: "n"),
            HLCTimestamp(millis: 0, counter: 0, node: String(repeating: "节", count: 21)),
        ] {
            let parsed = try #require(HLCTimestamp(stamp.description))
            #expect(parsed == stamp)
        }
    }

    @Test func refusesNearMisses() {
        for text in [
            "", "0001764560000000-00000-", "0001764560000000-00000", "001764560000000-00000-dev",
            "00017645600000000-0000-dev", "0001764560000000_00000-dev", "0001764560000000-00000_dev",
            "000176456000000a-00000-dev", "0001764560000000-0000x-dev", "-001764560000000-00000-dev",
            "0001764560000000-00000-" + String(repeating: "n", count: 65),
        ] {
            #expect(HLCTimestamp(text) == nil, "\(text)")
        }
        #expect(HLCTimestamp("0001764560000000-00000-" + String(repeating: "n", count: 64)) != nil)
        #expect(HLCTimestamp("0001764560000000-00001-a-b")?.node == "a-b")
    }
}

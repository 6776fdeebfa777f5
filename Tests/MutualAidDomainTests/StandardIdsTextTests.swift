import Foundation
import Testing

@testable import MutualAidDomain

/// The direct reader of a draft's standard ids against `JSONDecoder`: the same ids for every
/// text, or nil where `JSONDecoder` refuses it; plain arrays (what `encodeStandardIds` writes for
/// real ids) never reach `JSONDecoder`.
@Suite struct StandardIdsTextTests {
    static func foundation(_ text: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    @Test func plainArraysAreReadDirectly() {
        let cases: [(String, [String])] = [
            ("[]", []), (" [ ] ", []), (#"["std-a"]"#, ["std-a"]), (#"["std-a","std-b"]"#, ["std-a", "std-b"]),
            ("[ \"a\" ,\n\t\"b\" ]\r\n", ["a", "b"]), (#"["住院,医疗","/x"]"#, ["住院,医疗", "/x"]), (#"[""]"#, [""]),
        ]
        for (text, ids) in cases {
            #expect(ClaimDraft.plainStringArray(text) == ids, "\(text)")
            #expect(Self.foundation(text) == ids, "\(text)")
            #expect(ClaimDraft.decodeStandardIds(text) == ids, "\(text)")
        }
    }

    @Test func escapedOrMalformedTextGoesToJSONDecoder() {
        let texts = [
            #"["a\"b"]"#, #"["\u804c"]"#, #"["a\/b"]"#, "[\"a\u{1}\"]", #"["a",]"#, #"["a""b"]"#, #"["a"] x"#, "[", "",
            #"{"a":1}"#, "[1]", #"["a",1]"#, "null", #"["a"]]"#, #"[,"a"]"#, #""a""#,
        ]
        for text in texts {
            #expect(ClaimDraft.plainStringArray(text) == nil, "\(text)")
            #expect(ClaimDraft.decodeStandardIds(text) == Self.foundation(text), "\(text)")
        }
    }

    /// Random arrays of awkward strings, written by `JSONEncoder` and by hand without escaping:
    /// whatever the direct reader returns is what `JSONDecoder` returns.
    @Test func randomArraysAgreeWithJSONDecoder() throws {
        let alphabet: [Character] = ["a", "0", "-", " ", ",", "[", "]", "\"", "\\", "/", "\n", "\u{1}", "职", "😀"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var direct = 0
        for _ in 0..<2000 {
            let ids = (0..<next(4)).map { _ in String((0..<next(6)).map { _ in alphabet[next(alphabet.count)] }) }
            let encoded = String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
            let byHand = "[" + ids.map { "\"" + $0 + "\"" }.joined(separator: ",") + "]"
            for text in [encoded, byHand] {
                let fast = ClaimDraft.plainStringArray(text)
                if let fast {
                    direct += 1
                    #expect(fast == Self.foundation(text), "\(text)")
                }
                #expect(ClaimDraft.decodeStandardIds(text) == Self.foundation(text), "\(text)")
            }
            #expect(ClaimDraft.decodeStandardIds(encoded) == ids, "\(encoded)")
        }
        #expect(direct > 1000, "most random arrays have no escapes and are read directly")
    }
}

import MutualAidDomain
import Testing

/// The server skips the ledger lookup for ids above a device's watermark, so `parts` must read
/// an id's number only when the id has exactly the shape the client writes.
@Suite struct ChangeIdTests {
    @Test func theClientsOwnIdsReadBackAsMade() {
        var generator = SystemRandomNumberGenerator()
        let seqs: [Int64] =
            [1, 9, 10, 4096, 999_999_999_999_999_999]
            + (0..<200).map { _ in
                Int64.random(in: 1...999_999_999_999_999_999, using: &generator)
            }
        for seq in seqs {
            let id = ChangeId.make(clientId: "3f2a-dev", seq: seq)
            let parts = ChangeId.parts(id)
            #expect(parts?.clientId == "3f2a-dev" && parts?.seq == seq, "\(id)")
        }
    }

    @Test func anyOtherShapeHasNoNumber() {
        let odd = [
            "dev", "dev:", "dev:0", "dev:007", "dev:12a", "dev:-3", "dev:+3", "dev: 3", "dev:3 ", "dev:5\n",
            "dev:1e3", "dev:\u{663}", "dev：5", "a:b:9", "dev:1000000000000000000", "dev:99999999999999999999",
        ]
        for id in odd { #expect(ChangeId.parts(id) == nil, "\(id)") }
        // The device is what comes before the first ':', even nothing.
        #expect(ChangeId.parts(":5").map { ($0.clientId, $0.seq) } ?? ("x", 0) == ("", 5))
        #expect(ChangeId.parts("e\u{301}:12")?.clientId == "e\u{301}")
    }
}

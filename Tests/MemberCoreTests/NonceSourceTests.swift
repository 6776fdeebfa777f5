import Crypto
import Foundation
import Testing

@testable import MemberCore

/// Nonces are cut from a buffer of randomness: none may ever be handed out twice, across
/// refills and threads, and what they seal must open.
struct NonceSourceTests {
    @Test func noNonceRepeatsAcrossRefillsAndThreads() async {
        let source = NonceSource()
        // 4096 bytes make 341 nonces: 4 tasks × 600 cross several refills.
        let drawn = await withTaskGroup(of: [Data].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    (0..<600).map { _ in
                        var nonce = Data(count: 12)
                        nonce.withUnsafeMutableBytes { source.next(into: $0.baseAddress!) }
                        return nonce
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(drawn.count == 2400)
        #expect(Set(drawn).count == drawn.count)
        #expect(drawn.allSatisfy { $0.count == 12 })
        // Not all zero: the buffer was filled with randomness.
        #expect(drawn.contains { $0.contains { $0 != 0 } })
    }

    @Test func sealedTextOpensAndSealsDifferentlyEachTime() throws {
        let cipher = FieldCipher(key: SymmetricKey(size: .bits256))
        let first = try cipher.seal(text: "611002198503120017")
        let second = try cipher.seal(text: "611002198503120017")
        #expect(first != second)
        #expect(try cipher.open(text: first) == "611002198503120017")
        #expect(try cipher.open(text: second) == "611002198503120017")
    }
}

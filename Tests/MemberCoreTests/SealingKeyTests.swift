import Crypto
import Foundation
import TestSupport
import Testing

@testable import MemberCore

/// Fields are sealed through one BoringSSL context per key, not swift-crypto's `AES.GCM.seal`;
/// what it writes must be exactly what `AES.GCM` writes and reads: the combined box, in the
/// base64 Foundation writes, opened by `AES.GCM.open` with the key alone.
struct SealingKeyTests {
    @Test func sealedFieldsAreAESGCMBoxesInFoundationsBase64() throws {
        let key = SymmetricKey(size: .bits256)
        let cipher = FieldCipher(key: key)
        var random = SplitMix64(environment: "SEALING_SEED", default: 15)
        let alphabet = Array("0123456789Xx张伟李娜商洛市医院 -é🙂\u{0}")
        for length in 0..<70 {
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &random)! })
            let sealed = try cipher.seal(text: text)
            #expect(sealed.hasPrefix(FieldCipher.prefix))
            let base64 = String(sealed.dropFirst(FieldCipher.prefix.count))
            let box = try #require(Data(base64Encoded: base64))
            // Foundation writes the same text for the same bytes: padding and alphabet agree.
            #expect(box.base64EncodedString() == base64)
            #expect(box.count == text.utf8.count + 28)
            let opened = try AES.GCM.open(AES.GCM.SealedBox(combined: box), using: key)
            #expect(String(decoding: opened, as: UTF8.self) == text)
            #expect(try cipher.open(text: sealed) == text)
            // Bytes (outbox payloads, material files) take the same path.
            let bytes = Data(text.utf8)
            #expect(try AES.GCM.open(AES.GCM.SealedBox(combined: try cipher.seal(bytes)), using: key) == bytes)
        }
        // Another key cannot open it, and a changed byte is refused.
        let sealed = try cipher.seal(Data("611002198503120017".utf8))
        #expect(throws: (any Error).self) {
            try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: SymmetricKey(size: .bits256))
        }
        var tampered = sealed
        tampered[14] ^= 1
        #expect(throws: (any Error).self) { try cipher.open(tampered) }
    }

    @Test func manyTasksSealWithOneContext() async throws {
        let key = SymmetricKey(size: .bits256)
        let cipher = FieldCipher(key: key)
        let sealed = try await withThrowingTaskGroup(of: [(String, String)].self) { group in
            for t in 0..<4 {
                group.addTask {
                    try (0..<500).map { i in ("\(t)-\(i)", try cipher.seal(text: "\(t)-\(i)")) }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(sealed.count == 2_000)
        for (text, box) in sealed { #expect(try cipher.open(text: box) == text) }
    }
}

// swift-crypto's own BoringSSL, the same code `AES.GCM` runs: its C module is built for the
// Crypto product this target depends on. Pinned with swift-crypto's version in Package.swift.
import CCryptoBoringSSL
import Crypto

/// One AES-256-GCM context for the device key, made once. `AES.GCM.seal` makes a new one for
/// every call (key schedule and GHASH tables) and hands back three `Data`s; a first pull seals
/// two fields of every record it writes, and that was a sixth of the client's time. The output
/// is `AES.GCM.SealedBox.combined` (nonce, ciphertext, tag), so `AES.GCM.open` reads it.
final class SealingKey: @unchecked Sendable {
    // EVP_AEAD_CTX_seal takes the context as const: concurrent seals are safe once it is made.
    private let context = UnsafeMutablePointer<EVP_AEAD_CTX>.allocate(capacity: 1)

    init(_ key: SymmetricKey) {
        let made = key.withUnsafeBytes { bytes in
            CCryptoBoringSSL_EVP_AEAD_CTX_init(
                context, CCryptoBoringSSL_EVP_aead_aes_256_gcm(), bytes.baseAddress, bytes.count, 16, nil)
        }
        // Only a key of another size fails, and FieldCipher only holds 256-bit keys.
        precondition(made == 1, "AES-256-GCM context")
    }

    deinit {
        CCryptoBoringSSL_EVP_AEAD_CTX_cleanup(context)
        context.deallocate()
    }

    static let overhead = 12 + 16

    /// Seals `message` with the 12-byte `nonce` into `out` (at least `message.count + overhead`
    /// bytes) as nonce ‖ ciphertext ‖ tag; returns the bytes written.
    func seal(_ message: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer)
        throws -> Int
    {
        guard nonce.count == 12, out.count >= message.count + Self.overhead else {
            throw CryptoKitError.incorrectParameterSize
        }
        out.baseAddress!.copyMemory(from: nonce.baseAddress!, byteCount: 12)
        var written = 0
        let sealed = CCryptoBoringSSL_EVP_AEAD_CTX_seal(
            context, out.baseAddress!.assumingMemoryBound(to: UInt8.self) + 12, &written, out.count - 12,
            nonce.baseAddress!.assumingMemoryBound(to: UInt8.self), 12,
            message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count, nil, 0)
        guard sealed == 1 else { throw CryptoKitError.underlyingCoreCryptoError(error: 0) }
        return 12 + written
    }
}

import Crypto
import CryptoExtras
import Foundation
import MutualAidDomain

/// scrypt password hashes, stored as "scrypt$N$r$p$salt$hash" (base64), so parameters can
/// be raised later without breaking stored hashes.
public struct PasswordHasher: Sendable {
    public var logN: Int
    public var r: Int
    public var p: Int

    /// N = 2^17, r = 8, p = 1: 128 MiB and a few hundred milliseconds per check. Checks run off
    /// the event loop, a few at a time (`PasswordChecks`); hashes of a lower cost are replaced at
    /// the next successful login.
    public static let standard = PasswordHasher(logN: 17, r: 8, p: 1)

    /// For random one-time passwords the server makes (12 characters of 56, about 70 bits) and
    /// the printed demo passwords: their strength is in the password, and a cheap hash keeps the
    /// single writer free when one is made inside a transaction. The first login raises it to
    /// `standard`, and a one-time password must be changed then anyway.
    public static let generated = PasswordHasher(logN: 12, r: 8, p: 1)

    public init(logN: Int, r: Int, p: Int) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    public func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = rng.next() }
        let key = try derive(password, salt: salt, logN: logN, r: r, p: p)
        return ["scrypt", "\(logN)", "\(r)", "\(p)", Data(salt).base64EncodedString(), key.base64EncodedString()]
            .joined(separator: "$")
    }

    /// The (logN, r, p) of a stored hash, nil when it is not one of ours.
    public static func parameters(of stored: String) -> (logN: Int, r: Int, p: Int)? {
        let parts = stored.split(separator: "$")
        guard parts.count == 6, parts[0] == "scrypt", let logN = Int(parts[1]), let r = Int(parts[2]),
            let p = Int(parts[3])
        else { return nil }
        return (logN, r, p)
    }

    /// A stored hash made at a lower cost than this hasher's, to be replaced at the next login.
    public func needsRehash(_ stored: String) -> Bool {
        guard let old = Self.parameters(of: stored) else { return false }
        return old.logN < logN || old.r < r || old.p < p
    }

    public func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let logN = Int(parts[1]), let r = Int(parts[2]),
            let p = Int(parts[3]), (10...18).contains(logN), (1...8).contains(r), (1...4).contains(p),
            let salt = Data(base64Encoded: parts[4]), let expected = Data(base64Encoded: parts[5]),
            let actual = try? derive(password, salt: Array(salt), logN: logN, r: r, p: p)
        else { return false }
        // Constant-time comparison.
        guard actual.count == expected.count else { return false }
        return zip(actual, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func derive(_ password: String, salt: [UInt8], logN: Int, r: Int, p: Int) throws -> Data {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: 32,
            rounds: 1 << logN, blockSize: r, parallelism: p,
            maxMemory: 512 * 1024 * 1024)
        return key.withUnsafeBytes { Data($0) }
    }
}

/// Opaque bearer tokens: 32 random bytes, base64url; the server keeps only their SHA-256.
public enum BearerToken {
    public static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The token of an "Authorization: Bearer …" header, or nil when the header is not one.
    public static func extract(fromAuthorization header: String?) -> String? {
        guard let parts = header?.split(separator: " ", maxSplits: 1), parts.count == 2,
            parts[0].lowercased() == "bearer", (1...256).contains(parts[1].count)
        else { return nil }
        return String(parts[1])
    }

    public static func hash(_ token: String) -> String {
        RecordDigest.hex(SHA256.hash(data: Data(token.utf8)))
    }
}

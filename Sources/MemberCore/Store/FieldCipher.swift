import Crypto
import Foundation

/// AES-GCM for what the client keeps at rest: sensitive fields, the outbox's payloads and
/// material files. The 256-bit key lives in its own owner-only file beside the database, so
/// a copy of the database or of the material files alone reveals no personal data.
struct FieldCipher: Sendable {
    private let key: SymmetricKey
    private let sealing: SealingKey
    /// Each store its own: a process holding many clients (the benchmark's 200) would otherwise
    /// queue every sealed field of all of them on one lock.
    private let nonces = NonceSource()
    static let prefix = "enc1:"

    init(key: SymmetricKey) {
        self.key = key
        sealing = SealingKey(key)
    }

    /// Loads the key from `directory/store.key`, making it (and the owner-only folder) at setup.
    static func load(directory: URL) throws -> FieldCipher {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let url = directory.appendingPathComponent("store.key")
        if let data = fm.contents(atPath: url.path) {
            // Never replace a damaged key: everything sealed with it would be lost for good.
            guard data.count == 32 else { throw ClientError.io("密钥文件 keys/store.key 已损坏，请从备份恢复") }
            return FieldCipher(key: SymmetricKey(data: data))
        }
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        let tmp = url.appendingPathExtension("tmp")
        guard fm.createFile(atPath: tmp.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let handle = try FileHandle(forWritingTo: tmp)
        try handle.synchronize()
        try handle.close()
        guard rename(tmp.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        return FieldCipher(key: key)
    }

    func seal(_ data: Data) throws -> Data {
        var sealed = Data(count: data.count + SealingKey.overhead)
        let written = try sealed.withUnsafeMutableBytes { out in
            try data.withUnsafeBytes { try seal($0, into: out) }
        }
        sealed.count = written
        return sealed
    }

    private func seal(_ message: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws -> Int {
        try withUnsafeTemporaryAllocation(byteCount: 12, alignment: 1) { nonce in
            nonces.next(into: nonce.baseAddress!)
            return try sealing.seal(message, nonce: UnsafeRawBufferPointer(nonce), into: out)
        }
    }

    func open(_ data: Data) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key)
    }

    /// The prefix and the base64 of the sealed UTF-8, built without an intermediate `Data`.
    func seal(text: String) throws -> String {
        var text = text
        return try text.withUTF8 { message in
            try withUnsafeTemporaryAllocation(byteCount: message.count + SealingKey.overhead, alignment: 1) { out in
                let written = try seal(UnsafeRawBufferPointer(message), into: out)
                return Base64Text.string(prefix: Self.prefix, UnsafeRawBufferPointer(rebasing: out[..<written]))
            }
        }
    }

    /// Text written before encryption (no prefix) reads as it is.
    func open(text: String) throws -> String {
        guard text.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(text.dropFirst(Self.prefix.count)))
        else {
            return text
        }
        return String(decoding: try open(data), as: UTF8.self)
    }
}

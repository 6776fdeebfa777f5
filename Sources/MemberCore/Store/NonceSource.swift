import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// AES-GCM nonces cut from 4 KiB of system randomness at a time. Drawing each nonce on its own
/// cost two `getrandom` calls (a tenth of writing a pulled page); the bytes are the same
/// kernel randomness, each handed out once.
final class NonceSource: Sendable {
    private static let size = 4096
    private let state = Mutex<(bytes: [UInt8], used: Int)>(([], size))

    /// Writes the next 12-byte nonce at `out`.
    func next(into out: UnsafeMutableRawPointer) {
        state.withLock { state in
            if state.used + 12 > state.bytes.count {
                state.bytes = Self.random(Self.size)
                state.used = 0
            }
            state.bytes.withUnsafeBytes { out.copyMemory(from: $0.baseAddress! + state.used, byteCount: 12) }
            state.used += 12
        }
    }

    private static func random(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        #if canImport(Glibc)
            // The kernel's randomness, as getrandom(2) gives it (which Swift cannot name here).
            let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                defer { close(fd) }
                var filled = 0
                while filled < count {
                    let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, count - filled) }
                    if n > 0 { filled += n } else if n == 0 || errno != EINTR { break }
                }
                if filled == count { return bytes }
            }
        #endif
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = generator.next() }
        return bytes
    }
}

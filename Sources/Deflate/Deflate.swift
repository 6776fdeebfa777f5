import CZlib

/// The one wrapper around zlib: gzip bodies of the sync protocol and raw deflate streams of
/// ZIP files (xlsx) go through the same two loops, and every zlib return code is checked.
public enum Deflate {
    /// The framing around the deflate stream.
    public enum Format: Sendable {
        /// A gzip header and trailer (HTTP `Content-Encoding: gzip`).
        case gzip
        /// No header at all, as ZIP method 8 stores it.
        case raw
        /// Inflating only: a gzip or zlib header, whichever is there.
        case gzipOrZlib

        var windowBits: Int32 {
            switch self {
            case .gzip: 15 + 16
            case .raw: -15
            case .gzipOrZlib: 15 + 32
            }
        }
    }

    public enum Failure: Error, Equatable, Sendable {
        /// The input is not a complete, valid stream of the format.
        case corrupt
        /// Inflating would produce more than the caller's limit.
        case tooLarge
        /// zlib itself failed (out of memory, a version mismatch): its return code.
        case zlib(Int32)
    }

    public static func compress(_ input: some Collection<UInt8>, format: Format, level: Int32 = 6) throws(Failure)
        -> [UInt8]
    {
        var stream = z_stream()
        let initCode = deflateInit2_(
            &stream, level, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY,
            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initCode == Z_OK else { throw .zlib(initCode) }
        defer { deflateEnd(&stream) }
        let bytes = input as? [UInt8] ?? Array(input)
        // deflateBound is enough for one Z_FINISH call; anything but Z_STREAM_END is a failure.
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        let (code, written): (Int32, Int) = bytes.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                let code = CZlib.deflate(&stream, Z_FINISH)
                return (code, outBuf.count - Int(stream.avail_out))
            }
        }
        guard code == Z_STREAM_END else { throw .zlib(code) }
        output.removeSubrange(written...)
        return output
    }

    /// Inflates a whole stream; more than `limit` bytes of output is `tooLarge`, so a small
    /// body cannot expand into an unbounded one. Bytes after the end of the stream are corrupt.
    public static func decompress(_ input: some Collection<UInt8>, format: Format, limit: Int) throws(Failure)
        -> [UInt8]
    {
        var stream = z_stream()
        let initCode = inflateInit2_(&stream, format.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initCode == Z_OK else { throw .zlib(initCode) }
        defer { inflateEnd(&stream) }
        let bytes = input as? [UInt8] ?? Array(input)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let failure: Failure? = bytes.withUnsafeBufferPointer { inBuf -> Failure? in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = uInt(inBuf.count)
            while true {
                let (code, produced): (Int32, Int) = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let code = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (code, out.count - Int(stream.avail_out))
                }
                switch code {
                case Z_OK, Z_STREAM_END, Z_BUF_ERROR: break
                case Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR: return .corrupt
                default: return .zlib(code)
                }
                if output.count + produced > limit { return .tooLarge }
                output.append(contentsOf: chunk[0..<produced])
                if code == Z_STREAM_END { return stream.avail_in == 0 ? nil : .corrupt }
                // No progress with all input consumed: the stream is cut short.
                if produced == 0 && (stream.avail_in == 0 || code == Z_BUF_ERROR) { return .corrupt }
            }
        }
        if let failure { throw failure }
        return output
    }

    public static func crc32(_ bytes: some Collection<UInt8>) -> UInt32 {
        var crc: uLong = 0
        let done: Bool? = bytes.withContiguousStorageIfAvailable { buf in
            crc = crc32Update(0, buf)
            return true
        }
        if done == nil {
            crc = Array(bytes).withUnsafeBufferPointer { crc32Update(0, $0) }
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    private static func crc32Update(_ start: uLong, _ buf: UnsafeBufferPointer<UInt8>) -> uLong {
        var crc = start
        var offset = 0
        // zlib takes a 32-bit length; feed huge buffers in slices.
        while offset < buf.count {
            let n = min(buf.count - offset, 1 << 30)
            crc = CZlib.crc32(crc, buf.baseAddress.map { $0 + offset }, uInt(n))
            offset += n
        }
        return crc
    }
}

import CZlib

/// Raw deflate streams (no zlib or gzip header, as ZIP stores them) and CRC-32.
enum Zlib {
    static func crc32(_ bytes: some Collection<UInt8>) -> UInt32 {
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

    /// Compresses with window bits -15: a raw deflate stream, as ZIP method 8 expects.
    static func deflateRaw(_ input: [UInt8], level: Int32 = 6) -> [UInt8]? {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        let (status, written): (Int32, Int) = input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                let status = deflate(&stream, Z_FINISH)
                return (status, Int(stream.total_out))
            }
        }
        guard status == Z_STREAM_END else { return nil }
        output.removeSubrange(written...)
        return output
    }

    /// Inflates a raw deflate stream that must produce exactly `expectedSize` bytes; more is
    /// treated as corrupt so a lying size field cannot make us allocate without bound.
    static func inflateRaw(_ input: ArraySlice<UInt8>, expectedSize: Int) throws(OfficeFormatError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corruptWorkbook
        }
        defer { inflateEnd(&stream) }
        // One spare byte lets us notice output beyond the declared size.
        var output = [UInt8](repeating: 0, count: expectedSize + 1)
        let (status, produced): (Int32, Int) = input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                let status = inflate(&stream, Z_FINISH)
                return (status, outBuf.count - Int(stream.avail_out))
            }
        }
        guard status == Z_STREAM_END, produced == expectedSize else { throw .corruptWorkbook }
        output.removeLast()
        return output
    }
}

import Deflate
import Foundation

/// gzip for request and response bodies (`Content-Encoding: gzip`), over the shared zlib
/// wrapper. Inflation is capped so a small body cannot expand into an unbounded one.
public enum Gzip {
    public enum Failure: Error, Equatable { case corrupt, tooLarge }

    public static func isGzip(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    /// Fails only when zlib itself does (out of memory); callers then send the body as it is.
    public static func compress(_ input: Data, level: Int32 = 5) throws(Deflate.Failure) -> Data {
        Data(try Deflate.compress(input, format: .gzip, level: level))
    }

    public static func decompress(_ input: Data, limit: Int) throws(Failure) -> Data {
        do {
            return Data(try Deflate.decompress(input, format: .gzipOrZlib, limit: limit))
        } catch .tooLarge {
            throw .tooLarge
        } catch {
            throw .corrupt
        }
    }
}

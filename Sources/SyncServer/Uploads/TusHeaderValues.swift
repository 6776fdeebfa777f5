import Crypto
import Foundation
import HTTPTypes
import MutualAidDomain

/// The values tus clients send in headers, parsed strictly: numbers without sign or overflow,
/// checksums in the algorithms the server announces.
enum TusHeaderValues {
    /// A non-negative decimal integer: digits only (no sign, no spaces); nil when it does not
    /// fit an Int64 (`Int64(_:)` answers nil on overflow instead of trapping).
    static func integer(_ text: String?) -> Int64? {
        guard let text, !text.isEmpty, text.utf8.count <= 19, text.utf8.allSatisfy({ (0x30...0x39).contains($0) })
        else { return nil }
        return Int64(text)
    }

    static let checksumMismatch = HTTPResponse.Status(code: 460, reasonPhrase: "Checksum Mismatch")
}

/// An `Upload-Checksum` header: "<algorithm> <base64 digest>", sha1, sha256 or md5 (tus 1.0
/// requires sha1 of a server with the checksum extension).
struct ChunkChecksum {
    enum Algorithm: String, CaseIterable {
        case sha1, sha256, md5

        var digestBytes: Int {
            switch self {
            case .sha1: 20
            case .sha256: 32
            case .md5: 16
            }
        }
    }

    static let announced = Algorithm.allCases.map(\.rawValue).joined(separator: ",")

    let algorithm: Algorithm
    let expected: Data

    /// nil without a header; a header in another form or algorithm is a client error.
    static func parse(_ header: String?) throws -> ChunkChecksum? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, let algorithm = Algorithm(rawValue: parts[0].lowercased()),
            let raw = Data(base64Encoded: String(parts[1])), raw.count == algorithm.digestBytes
        else {
            throw ServerError.badRequest(
                "Upload-Checksum 格式应为「算法 Base64摘要」，算法可用 \(announced)",
                code: "bad_checksum_algorithm")
        }
        return ChunkChecksum(algorithm: algorithm, expected: raw)
    }

    func hasher() -> ChunkHasher {
        switch algorithm {
        case .sha1: .sha1(Insecure.SHA1())
        case .sha256: .sha256(SHA256())
        case .md5: .md5(Insecure.MD5())
        }
    }
}

/// One running hash of a chunk in the algorithm the client chose.
enum ChunkHasher {
    case sha1(Insecure.SHA1)
    case sha256(SHA256)
    case md5(Insecure.MD5)

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .sha1(var h):
            h.update(bufferPointer: bytes)
            self = .sha1(h)
        case .sha256(var h):
            h.update(bufferPointer: bytes)
            self = .sha256(h)
        case .md5(var h):
            h.update(bufferPointer: bytes)
            self = .md5(h)
        }
    }

    func finalize() -> Data {
        switch self {
        case .sha1(let h): Data(h.finalize())
        case .sha256(let h): Data(h.finalize())
        case .md5(let h): Data(h.finalize())
        }
    }
}

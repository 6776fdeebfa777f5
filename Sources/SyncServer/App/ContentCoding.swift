import Foundation

/// The coding a response body is packed in, chosen from the request's `Accept-Encoding`
/// (RFC 9110 §12.5.3): the acceptable coding with the highest weight, zstd on a tie. A
/// coding weighted `q=0` is refused, and so is one only `*` would allow when it is named
/// elsewhere with `q=0`.
enum ContentCoding: String, CaseIterable, Sendable {
    case zstd
    case gzip

    static func preferred(acceptEncoding header: String?) -> ContentCoding? {
        guard let header else { return nil }
        var named: [String: Double] = [:]
        var wildcard: Double?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let name = parts.first, !name.isEmpty else { continue }
            let weight = parts.dropFirst().lazy.compactMap(Self.weight).first ?? 1
            if name == "*" { wildcard = weight } else { named[name] = weight }
        }
        var best: (coding: ContentCoding, weight: Double)?
        for coding in allCases {  // zstd first: it wins a tie
            let alias = coding == .gzip ? named["x-gzip"] : nil
            guard let weight = named[coding.rawValue] ?? alias ?? wildcard, weight > 0 else { continue }
            if best == nil || weight > best!.weight { best = (coding, weight) }
        }
        return best?.coding
    }

    /// The weight of a `q=` parameter, nil for any other parameter; a weight that is not a number
    /// from 0 to 1 counts as 0, so a coding the client may not read is never sent.
    private static func weight(_ parameter: String) -> Double? {
        guard parameter.hasPrefix("q=") else { return nil }
        guard let q = Double(parameter.dropFirst(2)), (0...1).contains(q) else { return 0 }
        return q
    }
}

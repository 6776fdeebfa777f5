/// Where the stores file a record for staff pulls: under every subtree that contains it, so a
/// subtree's records are found by one equal path, in feed order, instead of by a range of
/// paths that an index can only give path by path.
extension Scope {
    /// The subtree paths `orgPath` lies under: each prefix ending in "/", and the path itself.
    /// For a subtree path that ends in "/", `subtree(path).contains(orgPath: p)` holds exactly
    /// when `path` is among `subtreePaths(filing: p)` (a property test keeps the two together).
    public static func subtreePaths(filing orgPath: String) -> [String] {
        // By bytes, as the stores' SQL finds "/" (it is never part of a longer UTF-8 sequence).
        let bytes = Array(orgPath.utf8)
        var paths = bytes.indices.filter { bytes[$0] == UInt8(ascii: "/") }.map {
            String(decoding: bytes[...$0], as: UTF8.self)
        }
        if paths.last != orgPath { paths.append(orgPath) }
        return paths
    }

    /// The path a staff pull finds its subtree's records under, when the filing covers it (a
    /// path ending in "/", as every organisation's is); nil for members and any other path.
    public var filedSubtreePath: String? {
        guard case .subtree(let path) = self, path.hasSuffix("/") else { return nil }
        return path
    }
}

import Foundation

/// The numbered SQL migrations of both databases. Files are never edited once shipped: a new
/// change is a new file (Tests pin the hash of every shipped one).
public enum Schema {
    /// The client replica, the embedded case store, and the case store on PostgreSQL.
    public enum Side: String, Sendable { case client, server, postgres }

    public struct Migration: Sendable {
        /// File name without ".sql", e.g. "0001_initial"; also the GRDB migration identifier.
        public let name: String
        public let sql: String
    }

    public static func migrations(for side: Side) throws -> [Migration] {
        guard let dir = Bundle.module.resourceURL?.appendingPathComponent(side.rawValue) else {
            throw CocoaError(.fileNoSuchFile)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        return try files.map { file in
            Migration(name: String(file.dropLast(4)),
                      sql: try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8))
        }
    }
}

import Crypto
import Foundation
import Testing

/// Shipped migrations are never edited: each file's SHA-256 is pinned in
/// schema/shipped-migrations.txt, and every migration file must be listed there.
@Suite struct MigrationLedgerTests {
    static let schemaDir = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schema")

    @Test func shippedMigrationsAreUnchangedAndListed() throws {
        let ledger = try String(
            contentsOf: Self.schemaDir.appendingPathComponent("shipped-migrations.txt"), encoding: .utf8)
        var pinned: [String: String] = [:]
        for line in ledger.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count == 2 { pinned[String(parts[1])] = String(parts[0]) }
        }
        var found: [String] = []
        for side in ["client", "server", "postgres"] {
            let dir = Self.schemaDir.appendingPathComponent(side)
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".sql") {
                let data = try Data(contentsOf: dir.appendingPathComponent(file))
                let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                let key = "\(side)/\(file)"
                found.append(key)
                #expect(pinned[key] == hash, "\(key) was edited after shipping, or is missing from the ledger")
            }
        }
        #expect(Set(found) == Set(pinned.keys))
    }
}

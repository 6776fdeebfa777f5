import Foundation

/// Which case store the server tests run on. `scripts/test` runs the server suites twice: on
/// the embedded SQLite store, then with `TEST_STORE=postgres` and `TEST_POSTGRES_URL` naming a
/// throwaway cluster it started (see scripts/postgres-cluster), whose `store_template`
/// database holds the migrated, empty schema.
public enum TestStore {
    public static var isPostgres: Bool { ProcessInfo.processInfo.environment["TEST_STORE"] == "postgres" }

    /// `postgres://USER@HOST:PORT/` of the test cluster, with no database.
    static var clusterURL: String? {
        guard let url = ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url.hasSuffix("/") ? url : url + "/"
    }

    private static let cloneLock = NSLock()
    nonisolated(unsafe) private static var cloned = 0

    /// A new database of the test cluster, cloned from the migrated template: one per test
    /// server, so tests never see each other's data. Returns its URL. `unmigrated` gives an
    /// empty database instead, for a test that migrates step by step.
    public static func newPostgresDatabase(unmigrated: Bool = false) throws -> String {
        guard let cluster = clusterURL else {
            throw SupportError("TEST_STORE=postgres needs TEST_POSTGRES_URL (scripts/test starts a cluster)")
        }
        // PostgreSQL copies a template for one CREATE DATABASE at a time.
        cloneLock.lock()
        defer { cloneLock.unlock() }
        cloned += 1
        let name = "t\(getpid())_\(cloned)_\(UInt32.random(in: 0...UInt32.max))"
        var lastError = ""
        for _ in 0..<20 {
            let result = try run(
                "/usr/bin/psql",
                [
                    "-X", "-q", "-v", "ON_ERROR_STOP=1", cluster + "postgres", "-c",
                    "CREATE DATABASE \(name) TEMPLATE \(unmigrated ? "template0" : "store_template")",
                ], timeout: 60)
            if result.status == 0 { return cluster + name }
            lastError = result.stderr
            // Another process (a server test's child) may be cloning the template right now.
            guard lastError.contains("being accessed by other users") else { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw SupportError("could not create a test database: \(lastError)")
    }
}

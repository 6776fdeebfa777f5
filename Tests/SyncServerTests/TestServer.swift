import Foundation
import GRDB
import Logging
import MutualAidDomain
import PostgresStorage
import ServiceLifecycle
import SyncProtocol
import SyncStorage
import TestSupport

@testable import MemberCore
@testable import SyncServer

/// An in-process server over real TLS on a loopback port, with the demo data and a real
/// libcurl client that trusts the certificate made for this test.
final class TestServer: @unchecked Sendable {
    let directory: URL
    let store: SQLCaseStore
    let port: Int
    let caFile: String
    let logins: [DemoData.Login]
    /// Where this server keeps upload parts and material bytes (files, or its database).
    let blobs: any BlobStore
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// A cheap scrypt setting: these tests exercise the protocol, not the hash cost.
    static let hasher = PasswordHasher(logN: 10, r: 8, p: 1)

    /// A server with the demo data in a new store; or, given `sharing`, a second instance on
    /// that server's PostgreSQL database (`beforeCommit` runs before each of its commits).
    static func start(
        sharing other: TestServer? = nil, configure: (inout ServerConfiguration) -> Void = { _ in },
        beforeCommit: (@Sendable () -> Void)? = nil
    ) async throws -> TestServer {
        let directory = Scratch.directory("server")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store: SQLCaseStore
        let logins: [DemoData.Login]
        if let other {
            guard let url = other.databaseURL else { throw TestStoreError("a second instance needs PostgreSQL") }
            store = try await SQLCaseStore.connect(url: url, poolSize: 4, beforeCommit: beforeCommit)
            logins = other.logins
        } else {
            store = try await openStore(in: directory, beforeCommit: beforeCommit)
            logins = try await DemoData.load(into: store, hasher: hasher)
        }
        let tls = try SelfSignedCertificate.ensure(in: directory.appendingPathComponent("tls"))
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, certificatePath: tls.certificatePath,
            privateKeyPath: tls.privateKeyPath, dataDirectory: directory)
        configuration.hasher = hasher
        if TestStore.isPostgres { configuration.blobStorage = .database }
        configure(&configuration)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        let app = try buildApplication(store: store, configuration: configuration, logger: logger) { port in
            continuation.yield(port)
        }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        let port = try await withTimeout(seconds: 20) { await ports.first { _ in true } ?? 0 }
        return TestServer(
            directory: directory, store: store, port: port, caFile: tls.certificatePath, logins: logins,
            blobs: try blobStore(store: store, configuration: configuration), group: group, task: task)
    }

    private init(
        directory: URL, store: SQLCaseStore, port: Int, caFile: String, logins: [DemoData.Login],
        blobs: any BlobStore, group: ServiceGroup, task: Task<Void, any Error>
    ) {
        self.blobs = blobs
        self.directory = directory
        self.store = store
        self.port = port
        self.caFile = caFile
        self.logins = logins
        self.group = group
        self.task = task
    }

    /// The PostgreSQL database the store is on (nil on SQLite).
    var databaseURL: PostgresURL? { (store.database as? PostgresDatabase)?.url }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        await (store.database as? PostgresDatabase)?.close()
    }

    var baseURL: String { "https://127.0.0.1:\(port)" }

    func password(_ login: String) -> String { logins.first { $0.login == login }!.password }

    /// A libcurl transport that trusts this server's certificate; `from` binds the client side to
    /// another loopback address (Linux routes all of 127.0.0.0/8 to lo).
    func transport(from localAddress: String? = nil) -> CurlTransport {
        CurlTransport(tls: TLSSettings(caFile: caFile, pinnedPublicKey: nil, localAddress: localAddress))
    }

    func api(token: String? = nil) -> APIClient {
        APIClient(transport: transport(), baseURL: baseURL, token: token, retry: RetryPolicy(maxAttempts: 1))
    }

    func login(_ login: String) async throws -> LoginResponse {
        try await api().post(
            "/v1/auth/login", LoginRequest(login: login, password: password(login)), as: LoginResponse.self)
    }

    /// A raw request, for status codes and malformed bodies.
    func raw(
        _ method: String, _ path: String, token: String? = nil, body: Data? = nil,
        headers: [(String, String)] = [("Content-Type", "application/json"), (ProtocolVersion.header, "1")],
        from localAddress: String? = nil
    ) async throws -> HTTPResponse {
        var request = HTTPRequest(method: method, url: baseURL + path, headers: headers, body: body)
        if let token { request.headers.append(("Authorization", "Bearer \(token)")) }
        return try await transport(from: localAddress).send(request)
    }

    /// Row counts of the tables a refused request must leave alone.
    func storeFingerprint() async throws -> [Int] {
        try await store.database.read { db in
            try ["applied_change", "change_feed", "member", "session"].map {
                try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM \($0)") ?? -1
            } + [try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM member WHERE mobile LIKE '139%'") ?? -1]
        }
    }
}

struct TimeoutError: Error {}

/// Every wait in the tests is bounded.
func withTimeout<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TimeoutError()
        }
        let result = try await group.next()!
        group.cancelAll()
        return result
    }
}

/// A new, empty, migrated case store for one test: an SQLite file in `directory`, or a fresh
/// database of the test cluster when the suite runs on PostgreSQL (`TestStore`).
func openStore(in directory: URL, beforeCommit: (@Sendable () -> Void)? = nil) async throws -> SQLCaseStore {
    guard TestStore.isPostgres else {
        return try SQLCaseStore(path: directory.appendingPathComponent("case-store.sqlite").path)
    }
    return try await SQLCaseStore.connect(
        url: try PostgresURL(try TestStore.newPostgresDatabase()), poolSize: 4, beforeCommit: beforeCommit)
}

struct TestStoreError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `sync-server serve` process on loopback, for the end-to-end tests and the benchmarks.
/// The first start takes a free port; restarts keep the data folder and the port.
public final class ServerProcess: @unchecked Sendable {
    public let data: URL
    public private(set) var port: Int = 0
    private let executable: String
    private var process: ChildProcess?
    private var output: URL
    /// The PostgreSQL database of this server when the tests run on PostgreSQL (`TestStore`).
    private var databaseURL: Result<String, any Error>?

    /// A server over `data` (or a new scratch folder) run from `syncServer` (the built product);
    /// `embedded` keeps it on the SQLite store in `data` even when the suite runs on PostgreSQL.
    public init(
        data: URL = Scratch.directory("server"), syncServer: String = Binaries.syncServer, embedded: Bool = false
    ) {
        self.data = data
        executable = syncServer
        output = data.appendingPathComponent("serve.log")
        databaseURL = TestStore.isPostgres && !embedded ? Result { try TestStore.newPostgresDatabase() } : nil
    }

    /// From now on the store is the PostgreSQL database at `url` (after `migrate --to`).
    public func use(database url: String) { databaseURL = .success(url) }

    /// Another instance of `other`'s store: the same data folder (certificate) and database.
    public init(sharing other: ServerProcess) {
        data = other.data
        executable = other.executable
        output = data.appendingPathComponent("serve.log")
        databaseURL = other.databaseURL
    }

    /// `--data DIR`, and `--database URL` on PostgreSQL: what every `sync-server` command on this
    /// server's store takes.
    public var storeArguments: [String] {
        get throws {
            guard let databaseURL else { return ["--data", data.path] }
            return ["--data", data.path, "--database", try databaseURL.get()]
        }
    }

    public var url: String { "https://127.0.0.1:\(port)" }
    public var certificate: String { data.appendingPathComponent("tls/cert.pem").path }
    public var database: String { data.appendingPathComponent("case-store.sqlite").path }
    public var processIdentifier: Int32? { process?.pid }
    public var peakMemory: Int64? { process.flatMap { peakRSS($0.pid) } }

    /// A started server over a new scratch folder holding the demo data (the set-up of most
    /// end-to-end tests), with the demo logins' passwords.
    public static func demo() throws -> (server: ServerProcess, passwords: [String: String]) {
        let server = ServerProcess()
        let passwords = try server.loadDemo()
        try server.start()
        return (server, passwords)
    }

    /// `sync-server demo --json` into this data folder; returns login → password.
    public func loadDemo(arguments: [String] = [], timeout: Double = 120) throws -> [String: String] {
        let result = try run(executable, ["demo"] + (try storeArguments) + ["--json"] + arguments, timeout: timeout)
        guard result.status == 0 else { throw SupportError("demo failed: \(result.stderr)") }
        guard let logins = try result.json()["logins"] as? [[String: Any]] else {
            throw SupportError("demo printed no logins: \(result.stdout)")
        }
        return Dictionary(
            uniqueKeysWithValues: logins.compactMap { entry in
                (entry["login"] as? String).flatMap { login in (entry["password"] as? String).map { (login, $0) } }
            })
    }

    public func start(environment: [String: String] = [:], arguments: [String] = [], timeout: Double = 60) throws {
        output = data.appendingPathComponent("serve-\(UUID().uuidString.prefix(6)).log")
        try createFile(output)
        let process = try ChildProcess(
            executable, ["serve"] + (try storeArguments) + ["--host", "127.0.0.1", "--port", String(port)] + arguments,
            environment: environment, stdout: output.path, stderr: output.path)
        self.process = process
        do {
            try Deadline(seconds: timeout).wait(for: "the server's listening line") {
                if let range = log.range(of: #"listening on https://127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                    let port = Int(log[range].split(separator: ":").last ?? "")
                {
                    self.port = port
                    return true
                }
                guard process.isRunning else { throw SupportError("server exited: \(log)") }
                return false
            }
        } catch {
            stop(signal: SIGKILL)
            throw error
        }
    }

    public var isRunning: Bool { process?.isRunning ?? false }

    /// Waits (bounded) for the process to end, e.g. after a crash point fired.
    public func waitForExit(timeout: Double = 15) -> Bool {
        (try? Deadline(seconds: timeout).wait(for: "the server to exit") { !isRunning }) != nil
    }

    public func stop(signal: Int32 = SIGTERM) {
        guard let process, process.isRunning else { return }
        process.signal(signal)
        if !waitForExit(timeout: 15) { process.kill9() }
    }

    public var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    deinit { stop(signal: SIGKILL) }
}

/// One device: a member-cli data folder in scratch space.
public struct Device: Sendable {
    public let home: URL

    public init(_ name: String) { home = Scratch.directory("device-\(name)") }

    public func cli(
        _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
        timeout: Double = 60
    ) throws -> ProcessResult {
        guard let command = arguments.first else { throw SupportError("no command") }
        // --home goes after the subcommand's name(s), as the contract says.
        let groups = [
            "profile", "claim", "case", "enrolment", "unit", "register", "messages", "sessions", "claims", "stats",
            "payment", "letter", "restricted",
        ]
        let nested =
            command == "admin"
            && ["user", "org", "standard", "activity", "checklist", "grade"].contains(arguments.dropFirst().first ?? "")
        let nameCount = nested ? 3 : groups.contains(command) || command == "admin" ? 2 : 1
        let args = Array(arguments.prefix(nameCount)) + ["--home", home.path] + Array(arguments.dropFirst(nameCount))
        return try run(Binaries.memberCLI, args, environment: environment, stdin: stdin, timeout: timeout)
    }

    /// connect + login + first sync, checking each step.
    public func signIn(_ server: ServerProcess, login: String, password: String) throws {
        try signIn(url: server.url, certificate: server.certificate, login: login, password: password)
    }

    /// The same through any address (a load balancer in front of several servers).
    public func signIn(url: String, certificate: String, login: String, password: String) throws {
        let c = try cli(["connect", url, "--ca-file", certificate])
        guard c.status == 0 else { throw SupportError("connect: \(c.stderr)") }
        let l = try cli(["login", login, "--password-stdin"], stdin: password + "\n")
        guard l.status == 0 else { throw SupportError("login: \(l.stderr)") }
        let s = try cli(["sync", "--json"])
        guard s.status == 0 else { throw SupportError("sync: \(s.stderr)") }
    }
}

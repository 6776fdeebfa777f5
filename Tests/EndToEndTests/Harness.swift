import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs the real `sync-server` and `member-cli` binaries built next to the test bundle. Every
/// wait is bounded; a process that overstays is killed and the test fails.
enum Binaries {
    static let directory: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = bundle.deletingLastPathComponent()
        // swift test runs ".build/debug/<Package>PackageTests.xctest"; products sit beside it.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("member-cli").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    static var memberCLI: String { directory.appendingPathComponent("member-cli").path }
    static var syncServer: String { directory.appendingPathComponent("sync-server").path }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// True when the process ended by a signal (kill -9).
    var signalled: Bool

    func json() throws -> [String: Any] {
        let line = stdout.split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw HarnessError("stdout is not one JSON object: \(stdout)")
        }
        return object
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

func scratchDirectory(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Foundation's `Process.run()` on Linux is not safe to call from several threads at once (a
/// crash in its spawn set-up was seen with many suites launching binaries in parallel): every
/// launch in these tests goes through this lock. Only the launch is serialised, not the wait.
let launchLock = NSLock()

func launch(_ process: Process) throws {
    launchLock.lock()
    defer { launchLock.unlock() }
    try process.run()
}

/// Runs a command to completion with a time limit; output goes to files, so nothing blocks on a pipe.
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
         timeout: Double = 60) throws -> ProcessResult {
    let dir = scratchDirectory("proc")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err"), input = dir.appendingPathComponent("in")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    FileManager.default.createFile(atPath: input.path, contents: Data((stdin ?? "").utf8))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = try FileHandle(forReadingFrom: input)
    try launch(process)
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
        if Date() > deadline {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw HarnessError("\(executable) \(arguments) did not finish within \(timeout) s")
        }
        usleep(10_000)
    }
    return ProcessResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
                         signalled: process.terminationReason == .uncaughtSignal)
}

/// A `sync-server serve` process on loopback. Restarts keep the data folder and the port.
final class ServerProcess {
    let data: URL
    private(set) var port: Int = 0
    private var process: Process?
    private var output: URL

    init(data: URL) {
        self.data = data
        output = data.appendingPathComponent("serve.log")
    }

    var url: String { "https://127.0.0.1:\(port)" }
    var certificate: String { data.appendingPathComponent("tls/cert.pem").path }
    var database: String { data.appendingPathComponent("case-store.sqlite").path }

    /// `sync-server demo --json` into this data folder; returns login → password.
    func loadDemo() throws -> [String: String] {
        let result = try run(Binaries.syncServer, ["demo", "--data", data.path, "--json"])
        guard result.status == 0 else { throw HarnessError("demo failed: \(result.stderr)") }
        let logins = try result.json()["logins"] as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: logins.map { ($0["login"] as! String, $0["password"] as! String) })
    }

    func start(environment: [String: String] = [:]) throws {
        output = data.appendingPathComponent("serve-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binaries.syncServer)
        process.arguments = ["serve", "--data", data.path, "--host", "127.0.0.1", "--port", String(port)]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try launch(process)
        self.process = process
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let log = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let range = log.range(of: #"listening on https://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(log[range].split(separator: ":").last!)!
                return
            }
            guard process.isRunning else { throw HarnessError("server exited: \(log)") }
            usleep(20_000)
        }
        stop(signal: SIGKILL)
        throw HarnessError("server did not print its listening line within 30 s")
    }

    var isRunning: Bool { process?.isRunning ?? false }

    /// Waits (bounded) for the process to end, e.g. after a crash point fired.
    func waitForExit(timeout: Double = 15) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning && Date() < deadline { usleep(10_000) }
        return !isRunning
    }

    func stop(signal: Int32 = SIGTERM) {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, signal)
        if !waitForExit(timeout: 15) {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    deinit { stop(signal: SIGKILL) }
}

/// One device: a member-cli data folder.
struct Device {
    let home: URL

    init(_ name: String) { home = scratchDirectory("device-\(name)") }

    func cli(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
        guard let command = arguments.first else { throw HarnessError("no command") }
        // --home goes after the subcommand's name(s), as the contract says.
        let nameCount = ["profile", "claim", "case", "enrolment", "unit", "register"].contains(command) ? 2 : 1
        let args = Array(arguments.prefix(nameCount)) + ["--home", home.path] + Array(arguments.dropFirst(nameCount))
        return try run(Binaries.memberCLI, args, environment: environment, stdin: stdin)
    }

    /// connect + login + first sync, asserting each step.
    func signIn(_ server: ServerProcess, login: String, password: String) throws {
        let c = try cli(["connect", server.url, "--ca-file", server.certificate])
        guard c.status == 0 else { throw HarnessError("connect: \(c.stderr)") }
        let l = try cli(["login", login, "--password-stdin"], stdin: password + "\n")
        guard l.status == 0 else { throw HarnessError("login: \(l.stderr)") }
        let s = try cli(["sync", "--json"])
        guard s.status == 0 else { throw HarnessError("sync: \(s.stderr)") }
    }
}

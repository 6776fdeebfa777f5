import Foundation

#if canImport(Glibc)
    import Glibc
#endif

public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// True when the process ended by a signal (kill -9).
    public var signalled: Bool

    /// Both streams, for logs and messages.
    public var output: String { stdout + stderr }

    /// The last line of stdout as one JSON object (the `--json` outputs).
    public func json() throws -> [String: Any] {
        let line = stdout.split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw SupportError("stdout is not one JSON object: \(stdout)")
        }
        return object
    }
}

/// Foundation's `Process.run()` on Linux is not safe to call from several threads at once (a
/// crash in its spawn set-up was seen with many suites launching binaries in parallel): every
/// launch goes through this lock. Only the launch is serialised, not the wait.
private let launchLock = NSLock()

public func launch(_ process: Process) throws {
    launchLock.lock()
    defer { launchLock.unlock() }
    try process.run()
}

extension Process {
    /// Waits until the process ends or the deadline passes; a process that overstays is killed
    /// (and reaped) and the wait throws. The status is read only after the process has ended:
    /// Foundation traps when asked for the status of a running process.
    public func wait(_ deadline: Deadline, what: @autoclosure () -> String) throws {
        do {
            try deadline.wait(for: what(), every: 0.005) { !isRunning }
        } catch {
            kill(processIdentifier, SIGKILL)
            waitUntilExit()
            throw error
        }
    }
}

/// Runs a command to completion with a time limit; output goes to files, so nothing blocks on
/// a pipe.
public func run(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:],
    stdin: String? = nil, timeout: Double = 60
) throws -> ProcessResult {
    let dir = Scratch.directory("proc")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out")
    let err = dir.appendingPathComponent("err")
    let input = dir.appendingPathComponent("in")
    try createFile(out)
    try createFile(err)
    try createFile(input, Data((stdin ?? "").utf8))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = try FileHandle(forReadingFrom: input)
    try launch(process)
    try process.wait(Deadline(seconds: timeout), what: "\(executable) \(arguments) to finish within \(timeout) s")
    return ProcessResult(
        status: process.terminationStatus,
        stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
        signalled: process.terminationReason == .uncaughtSignal)
}

/// A new file (replacing one that is there); failing is an error, never a silent empty log.
func createFile(_ url: URL, _ contents: Data = Data()) throws {
    guard FileManager.default.createFile(atPath: url.path, contents: contents) else {
        throw SupportError("cannot create \(url.path)")
    }
}

/// Peak resident memory (VmHWM) of a running process, in bytes.
public func peakRSS(_ pid: Int32) -> Int64? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kb = Int64(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    else { return nil }
    return kb * 1024
}

/// Runs a child to completion while sampling its peak memory.
public func runMeasured(_ executable: String, _ arguments: [String], timeout: Double = 600) throws
    -> (seconds: Double, peak: Int64, status: Int32)
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let start = Date()
    try launch(process)
    var peak: Int64 = 0
    try process.wait(Deadline(seconds: timeout), what: "\(executable) to finish") {
        if let rss = peakRSS(process.processIdentifier) { peak = max(peak, rss) }
    }
    return (Date().timeIntervalSince(start), peak, process.terminationStatus)
}

extension Process {
    /// Like `wait(_:what:)`, calling `sample` on every poll.
    func wait(_ deadline: Deadline, what: @autoclosure () -> String, sample: () -> Void) throws {
        do {
            try deadline.wait(for: what(), every: 0.002) {
                sample()
                return !isRunning
            }
        } catch {
            kill(processIdentifier, SIGKILL)
            waitUntilExit()
            throw error
        }
    }
}

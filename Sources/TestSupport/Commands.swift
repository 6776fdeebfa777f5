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

/// Foundation's `Process.run()` on Linux is not safe to call from several threads at once: the
/// few tests that still need a `Process` (a pipe to its stdin) start it through this lock. The
/// binaries themselves are started with `ChildProcess` (posix_spawn).
private let launchLock = NSLock()

public func launch(_ process: Process) throws {
    launchLock.lock()
    defer { launchLock.unlock() }
    try process.run()
}

/// Runs a command to completion with a time limit; output goes to files, so nothing blocks on
/// a pipe. A command that overstays is killed and the call throws.
public func run(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:],
    stdin: String? = nil, timeout: Double = 60
) throws -> ProcessResult {
    let dir = Scratch.directory("proc")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out")
    let err = dir.appendingPathComponent("err")
    let input = dir.appendingPathComponent("in")
    try createFile(input, Data((stdin ?? "").utf8))
    let child = try ChildProcess(
        executable, arguments, environment: environment, stdin: input.path, stdout: out.path, stderr: err.path)
    try child.wait(Deadline(seconds: timeout), what: "\(executable) \(arguments) to finish within \(timeout) s")
    return ProcessResult(
        status: child.status ?? -1,
        stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
        signalled: child.signalled)
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
    let start = Date()
    let child = try ChildProcess(executable, arguments)
    var peak: Int64 = 0
    try child.wait(Deadline(seconds: timeout), what: "\(executable) to finish", every: 0.002) {
        if let rss = peakRSS(child.pid) { peak = max(peak, rss) }
    }
    return (Date().timeIntervalSince(start), peak, child.status ?? -1)
}

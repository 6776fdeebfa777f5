import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Runs a command to completion (bounded), output to a file.
@discardableResult
func run(_ executable: String, _ arguments: [String], stdin: String = "", timeout: Double = 600) throws -> (status: Int32, out: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-proc-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out"), input = dir.appendingPathComponent("in")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: input.path, contents: Data(stdin.utf8))
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    p.standardOutput = try FileHandle(forWritingTo: out)
    p.standardError = try FileHandle(forWritingTo: out)
    p.standardInput = try FileHandle(forReadingFrom: input)
    try p.run()
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning {
        if Date() > deadline { kill(p.processIdentifier, SIGKILL); throw BenchError("\(executable) timed out") }
        usleep(5_000)
    }
    return (p.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "")
}

/// Peak resident memory (VmHWM) of a running process, in bytes.
func peakRSS(_ pid: Int32) -> Int64? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Int64(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return nil }
    return kb * 1024
}

/// A `sync-server serve` process.
final class ServerProcess {
    let data: URL
    let process = Process()
    private(set) var port = 0
    let log: URL

    init(binaries: URL, data: URL) throws {
        self.data = data
        log = data.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = binaries.appendingPathComponent("sync-server")
        process.arguments = ["serve", "--data", data.path, "--host", "127.0.0.1", "--port", "0"]
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let r = text.range(of: #"listening on https://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(text[r].split(separator: ":").last!)!
                return
            }
            usleep(20_000)
        }
        throw BenchError("server did not start")
    }

    var url: String { "https://127.0.0.1:\(port)" }
    var certificate: String { data.appendingPathComponent("tls/cert.pem").path }
    var peakMemory: Int64? { peakRSS(process.processIdentifier) }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A child process whose peak memory is sampled until it ends.
func runMeasured(_ executable: String, _ arguments: [String], timeout: Double = 600) throws -> (seconds: Double, peak: Int64, status: Int32) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    let start = Date()
    try p.run()
    var peak: Int64 = 0
    let deadline = start.addingTimeInterval(timeout)
    while p.isRunning {
        if let rss = peakRSS(p.processIdentifier) { peak = max(peak, rss) }
        if Date() > deadline { kill(p.processIdentifier, SIGKILL); throw BenchError("\(executable) timed out") }
        usleep(2_000)
    }
    return (Date().timeIntervalSince(start), peak, p.terminationStatus)
}

func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

func time<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try await body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

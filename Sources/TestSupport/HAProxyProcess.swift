import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// HAProxy (Debian's `haproxy`) in front of several `sync-server` instances on loopback, as the
/// README's recipe runs it: TLS terminated with the servers' own certificate, requests spread
/// round robin, the client address forwarded (`X-Forwarded-For`), an instance taken out while
/// `/v1/health` fails and a request whose connection failed sent to another. A second frontend
/// serves HAProxy's statistics (CSV) so a test can see which instances answered.
public final class HAProxyProcess: @unchecked Sendable {
    public let port: Int
    public let statsPort: Int
    private let process: ChildProcess
    private let directory: URL

    /// The recipe (scripts/haproxy.cfg.in, shared with the fault suite) for `backends` (loopback
    /// ports) with `pem` (certificate and key in one file).
    public static func configuration(port: Int, statsPort: Int, pem: String, backends: [Int]) throws -> String {
        let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/haproxy.cfg.in")
        let servers = backends.enumerated().map { "    server s\($0.offset + 1) 127.0.0.1:\($0.element)" }
        return try String(contentsOf: template, encoding: .utf8)
            .replacingOccurrences(of: "{port}", with: String(port))
            .replacingOccurrences(of: "{stats_port}", with: String(statsPort))
            .replacingOccurrences(of: "{pem}", with: pem)
            .replacingOccurrences(of: "{servers}", with: servers.joined(separator: "\n"))
    }

    public init(backends: [Int], certificate: String, privateKey: String) throws {
        directory = Scratch.directory("haproxy")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pem = directory.appendingPathComponent("server.pem")
        try createFile(
            pem,
            try Data(contentsOf: URL(fileURLWithPath: certificate)) + Data(contentsOf: URL(fileURLWithPath: privateKey))
        )
        port = try freePort()
        statsPort = try freePort()
        let config = directory.appendingPathComponent("haproxy.cfg")
        try createFile(
            config,
            Data(try Self.configuration(port: port, statsPort: statsPort, pem: pem.path, backends: backends).utf8))
        let log = directory.appendingPathComponent("haproxy.log")
        try createFile(log)
        process = try ChildProcess("/usr/sbin/haproxy", ["-f", config.path, "-db"], stdout: log.path, stderr: log.path)
        try Deadline(seconds: 20).wait(for: "HAProxy to see every instance up") {
            guard process.isRunning else {
                throw SupportError("haproxy exited: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            return (try? self.serverStats().values.allSatisfy { $0.up }) == true
        }
    }

    public var url: String { "https://127.0.0.1:\(port)" }

    /// Per instance (s1, s2…): whether HAProxy sees it up, and how many requests it sent there.
    public func serverStats() throws -> [String: (up: Bool, sessions: Int)] {
        let result = try run("/usr/bin/curl", ["-s", "--max-time", "5", "http://127.0.0.1:\(statsPort)/stats;csv"])
        guard result.status == 0 else { throw SupportError("stats: \(result.stderr)") }
        var stats: [String: (up: Bool, sessions: Int)] = [:]
        let lines = result.stdout.split(separator: "\n")
        guard let header = lines.first?.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false) else {
            return stats
        }
        let column = { (name: String) in header.firstIndex { $0 == name } }
        guard let sv = column("svname"), let status = column("status"), let total = column("stot") else { return stats }
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count > max(sv, status, total), fields[0] == "servers", fields[sv].hasPrefix("s") else {
                continue
            }
            stats[String(fields[sv])] = (fields[status].hasPrefix("UP"), Int(fields[total]) ?? 0)
        }
        return stats
    }

    public func stop() {
        process.signal(SIGTERM)
        try? process.wait(Deadline(seconds: 10), what: "haproxy to stop")
        if process.isRunning { process.kill9() }
    }

    deinit { stop() }
}

/// A free loopback TCP port (bound and released; the caller binds it right away).
public func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SupportError("socket failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw SupportError("bind failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw SupportError("getsockname failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

import Foundation

/// Runs a command-line tool for a test, killing it after a timeout so a test can never hang.
struct ExternalTool {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The absolute path of `name` on PATH, or nil.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments`; throws when it cannot start or outlives `timeout`.
    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 30) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("tool-\(UUID().uuidString).out")
        let errURL = dir.appendingPathComponent("tool-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        // Files rather than pipes: a chatty tool cannot block on a full pipe buffer.
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) 超过 \(Int(timeout)) 秒未结束，已终止")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
                      stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
    }

    /// A fresh scratch directory for one test.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("office-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// python3 that can import openpyxl; a test failure (not a skip) pointing at scripts/setup otherwise.
    static func pythonWithOpenpyxl() throws -> String {
        guard let python = find("python3") else {
            throw Failure(description: "找不到 python3。请先运行 scripts/setup 安装测试所需的 python3 和 openpyxl")
        }
        let check = try run(python, ["-c", "import openpyxl"])
        guard check.status == 0 else {
            throw Failure(description: "python3 无法导入 openpyxl（\(check.stderr)）。请先运行 scripts/setup 安装 openpyxl")
        }
        return python
    }

    /// A poppler tool (pdftotext, pdfinfo); a test failure pointing at scripts/setup when missing.
    static func poppler(_ name: String) throws -> String {
        guard let path = find(name) else {
            throw Failure(description: "找不到 \(name)。请先运行 scripts/setup 安装 poppler-utils")
        }
        return path
    }
}

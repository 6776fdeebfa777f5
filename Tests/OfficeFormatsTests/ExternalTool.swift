import Foundation
import TestSupport

/// Outside tools a test checks our files with (openpyxl, poppler), found on PATH.
struct ExternalTool {
    /// The absolute path of `name` on PATH, or nil.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// python3 that can import openpyxl; a test failure (not a skip) pointing at scripts/setup otherwise.
    static func pythonWithOpenpyxl() throws -> String {
        guard let python = find("python3") else {
            throw SupportError("找不到 python3。请先运行 scripts/setup 安装测试所需的 python3 和 openpyxl")
        }
        let check = try run(python, ["-c", "import openpyxl"])
        guard check.status == 0 else {
            throw SupportError("python3 无法导入 openpyxl（\(check.stderr)）。请先运行 scripts/setup 安装 openpyxl")
        }
        return python
    }

    /// A poppler tool (pdftotext, pdfinfo); a test failure pointing at scripts/setup when missing.
    static func poppler(_ name: String) throws -> String {
        guard let path = find(name) else {
            throw SupportError("找不到 \(name)。请先运行 scripts/setup 安装 poppler-utils")
        }
        return path
    }
}

import Foundation

/// Temporary folders of a test or benchmark process. All of them sit under one folder per
/// process, removed when the process exits; folders left by a process that was killed are
/// removed by the next one, so a run never leaves data folders behind.
public enum Scratch {
    private static let root: URL = {
        let base = FileManager.default.temporaryDirectory
        sweepAbandoned(in: base)
        let root = base.appendingPathComponent("mutual-aid-scratch-\(getpid())", isDirectory: true)
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.rootIfMade) }
        rootIfMade = root
        return root
    }()

    nonisolated(unsafe) private static var rootIfMade = URL(fileURLWithPath: "/nonexistent-scratch")

    /// A new empty folder named after `name`.
    public static func directory(_ name: String) -> URL {
        let url = root.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Roots of processes that no longer run (kill -9, a crashed test run).
    private static func sweepAbandoned(in base: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        for name in names where name.hasPrefix("mutual-aid-scratch-") {
            guard let pid = Int32(name.dropFirst("mutual-aid-scratch-".count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: base.appendingPathComponent(name))
            }
        }
    }
}

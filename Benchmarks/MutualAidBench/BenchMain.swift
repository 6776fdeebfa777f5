import Foundation
import TestSupport

// mutual-aid-bench [--full] [--json FILE] [--only P2,P3] --bin DIR
@main
struct BenchMain {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
            return arguments[i + 1]
        }
        guard let binPath = option("--bin") else {
            print("usage: mutual-aid-bench [--full] [--json FILE] --bin DIR")
            exit(2)
        }
        let work = Scratch.directory("mutual-aid-bench")
        var suite = Suite(
            bin: URL(fileURLWithPath: binPath), work: work, sizes: arguments.contains("--full") ? .full : Sizes())
        suite.only = option("--only").map { Set($0.split(separator: ",").map(String.init)) }
        // A PostgreSQL cluster URL without a database (scripts/bench --postgres starts one).
        suite.postgres = option("--postgres").map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        let figures: [String: Figure]
        do {
            figures = try await suite.runAll()
        } catch {
            FileHandle.standardError.write(Data("bench: \(error)\n".utf8))
            exit(1)
        }
        Report.print(figures, sizes: suite.sizes)
        if let path = option("--json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(figures.mapValues(Report.JSONFigure.init)).write(to: URL(fileURLWithPath: path))
            print("JSON: \(path)")
        }
    }
}

import ArgumentParser
import Foundation
import MutualAidDomain

#if canImport(Glibc)
    import Glibc
#endif

/// Whether a command asks or requires: people at a terminal are asked for what they left out;
/// scripts (a pipe, a file, or --json) get the options' behaviour and a named error instead.
enum GuidedMode {
    static func isInteractive(json: Bool) -> Bool {
        !json && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }

    /// Thrown from `validate()` so ArgumentParser adds the command's usage and exits 64, as it
    /// does for any missing option; nothing has been opened or written yet.
    static func missing(_ items: [(flag: String, what: String)]) -> ValidationError {
        let named = items.map { "\($0.flag)（\($0.what)）" }.joined(separator: "、")
        return ValidationError("缺少选项 \(named)。在终端中不带选项运行可逐项填写。")
    }

    /// Off while `MemberCLI.main` parses a failed command line again to find a mistake that
    /// matters more than a missing option (an unknown or misspelt one); set once, before run.
    nonisolated(unsafe) static var checksRequired = true

    /// The missing ones among `items` (present = given on the command line), when not asking.
    static func require(json: Bool, _ items: [(present: Bool, flag: String, what: String)]) throws {
        guard checksRequired, !isInteractive(json: json) else { return }
        let absent = items.filter { !$0.present }.map { (flag: $0.flag, what: $0.what) }
        if !absent.isEmpty { throw missing(absent) }
    }

    /// "hospitalization 疾病住院、accident-disability 意外伤残、…" for messages and help.
    static var claimTypes: String {
        ClaimType.allCases.map { "\($0.rawValue) \($0.chineseName)" }.joined(separator: "、")
    }
}

import ArgumentParser
import Foundation

/// swift-argument-parser writes its own words in English (errors, usage, help headings). They
/// are fixed phrases in its sources (1.8.2: Usage/UsageGenerator.swift, HelpGenerator.swift,
/// MessageInfo.swift, HelpCommand.swift), so one table renders them in Chinese; our own help
/// texts are Chinese already and pass through unchanged.
enum ChineseHelp {
    /// English pattern → Chinese template, applied in order (longer phrases first).
    static let table: [(pattern: String, chinese: String)] = [
        (#"(?m)^Error: "#, "错误："),
        (#"Missing expected argument '([^']*)'"#, "缺少必填项 '$1'"),
        (#"Missing one of: "#, "缺少以下任一项："),
        (#"Unknown option '([^']*)'\. Did you mean '([^']*)'\?"#, "未知选项 '$1'。是否想输入 '$2'？"),
        (#"Unknown option '([^']*)'"#, "未知选项 '$1'"),
        (#"Invalid option: "#, "无效的选项："),
        (#"Missing value for '([^']*)'"#, "选项 '$1' 缺少值"),
        (#"\n   or: "#, "\n   或："),
        (#"The option '([^']*)' does not take any value, but '([^']*)' was specified\."#, "选项 '$1' 不带值，却给了 '$2'。"),
        (#"(\d+) unexpected arguments: "#, "$1 个多余的参数："),
        (#"Unexpected argument '([^']*)'"#, "多余的参数 '$1'"),
        (#"The value '([^']*)' is invalid for '([^']*)'"#, "'$2' 的值 '$1' 无效"),
        (#"The value '([^']*)' is invalid\."#, "值 '$1' 无效。"),
        (#"\. Please provide one of the following:"#, "。可选值："),
        (#"\. Please provide one of ([^\n]*)\."#, "。可选值：$1。"),
        (#"' (?:and|or) '"#, "'、'"),
        (#"Value to be set with (.*) had already been set with ([^\n]*)"#, "$1 与 $2 重复"),
        (#"Missing required subcommand\."#, "缺少子命令。"),
        (#"(?m)^Help:  "#, "说明："),
        (#"(?m)^Usage: "#, "用法："),
        (#"(?m)^USAGE: "#, "用法："),
        (#"(?m)^OVERVIEW: "#, "概述："),
        (#"(?m)^ARGUMENTS:$"#, "参数："),
        (#"(?m)^OPTIONS:$"#, "选项："),
        (#"(?m)^SUBCOMMANDS:$"#, "子命令："),
        (#"  See '([^']*)' for more information\."#, "  运行 '$1' 查看详细说明。"),
        (#"See '([^']*) <subcommand>' for detailed help\."#, "运行 '$1 <子命令>' 查看子命令的详细说明。"),
        (#"<subcommand>"#, "<子命令>"),
        (#"Show subcommand help information\."#, "显示子命令的帮助信息。"),
        (#"Show help information\."#, "显示帮助信息。"),
        (#"Show the version\."#, "显示版本。"),
        (#" ?\(values: ([^;)]*); default: ([^)]*)\)"#, "（可选值：$1；默认：$2）"),
        (#" ?\(values: ([^)]*)\)"#, "（可选值：$1）"),
        (#" ?\(default as flag: ([^)]*)\)"#, "（作为开关时默认：$1）"),
        (#" ?\(default: ([^)]*)\)"#, "（默认：$1）"),
        (#" \(default\)"#, "（默认）"),
    ]

    private static let compiled: [(NSRegularExpression, String)] = table.map {
        (try! NSRegularExpression(pattern: $0.pattern), $0.chinese)
    }

    static func translate(_ text: String) -> String {
        compiled.reduce(text) { text, rule in
            rule.0.stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text), withTemplate: rule.1)
        }
    }

    /// ArgumentParser's `exit(withError:)` with the text translated: help and clean exits on
    /// stdout, errors on stderr, and the same exit codes. A `ValidationError` thrown by a
    /// command's run (`afterParsing`) gets its message only: ArgumentParser would add the root
    /// command's usage, which says nothing about the command that failed.
    static func exit(_ command: MemberCLI.Type, withError error: any Error, afterParsing: Bool = false) -> Never {
        let code = command.exitCode(for: error)
        var text = command.fullMessage(for: error)
        if afterParsing, let error = error as? ValidationError { text = "Error: \(error.message)" }
        // Machine-readable output (help dump as JSON, completion scripts) stays as generated.
        let raw = CommandLine.arguments.contains { $0 == "--experimental-dump-help" || $0.hasPrefix("--generate-") }
        if !raw { text = translate(text) }
        if !text.isEmpty {
            let stream = code.isSuccess ? FileHandle.standardOutput : FileHandle.standardError
            stream.write(Data((text + "\n").utf8))
        }
        Foundation.exit(code.rawValue)
    }
}

import Foundation
import MemberCore
import MutualAidDomain

/// Asks a person at the terminal one line at a time. A wrong answer is asked again with what
/// is wrong; end of input cancels, and since every flow saves only after its last question,
/// nothing has been saved then.
struct Prompter {
    private let readAnswer: () -> String?
    private let write: (String) -> Void

    /// Lines from stdin, text to stdout; tests pass their own.
    init(
        readAnswer: @escaping () -> String? = { readLine(strippingNewline: true) },
        write: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }
    ) {
        self.readAnswer = readAnswer
        self.write = write
    }

    /// The one error every flow ends with when the person stops: ^D, or "n" at the summary.
    static var cancelled: ClientError {
        .invalidInput(RuleViolation(field: "input", message: "已取消，未保存任何内容"))
    }

    func line(_ text: String) { write(text + "\n") }

    /// Asks until `parse` accepts; Enter takes `preset` (shown in brackets) when there is one.
    func ask<T>(_ label: String, preset: String? = nil, parse: (String) -> Result<T, Problem>) throws -> T {
        while true {
            write(preset.map { "\(label) [\($0)]：" } ?? "\(label)：")
            guard let raw = readAnswer() else {
                write("\n")
                throw Self.cancelled
            }
            var answer = raw.trimmingCharacters(in: .whitespaces)
            if answer.isEmpty, let preset { answer = preset }
            switch parse(answer) {
            case .success(let value): return value
            case .failure(let problem): line("  ✗ \(problem.message)，请重新输入。")
            }
        }
    }

    /// Free text; `check` says what is wrong (nil when fine). Optional text comes back nil on Enter.
    func text(_ label: String, default preset: String? = nil, check: (String) -> String? = { _ in nil }) throws
        -> String
    {
        try ask(label, preset: preset) { answer in
            if answer.isEmpty { return .failure(Problem("请填写\(Self.bare(label))")) }
            return check(answer).map { .failure(Problem($0)) } ?? .success(answer)
        }
    }

    func optionalText(_ label: String, check: (String) -> String? = { _ in nil }) throws -> String? {
        try ask("\(label)（可直接回车跳过）") { answer in
            if answer.isEmpty { return .success(nil) }
            return check(answer).map { .failure(Problem($0)) } ?? .success(answer)
        }
    }

    /// One of a numbered list; with a single entry, Enter takes it.
    func choice<T>(_ label: String, _ options: [(text: String, value: T)], default index: Int? = nil) throws -> T {
        line("\(label)：")
        for (n, option) in options.enumerated() { line("  \(n + 1). \(option.text)") }
        let preset = index ?? (options.count == 1 ? 0 : nil)
        let picked = try ask("请输入编号", preset: preset.map { String($0 + 1) }) {
            Self.parseChoice($0, count: options.count)
        }
        return options[picked - 1].value
    }

    /// Several of a numbered list, e.g. "1,3".
    func choices<T>(_ label: String, _ options: [(text: String, value: T)]) throws -> [T] {
        line("\(label)（可多选，用逗号分隔）：")
        for (n, option) in options.enumerated() { line("  \(n + 1). \(option.text)") }
        let picked = try ask("请输入编号", preset: options.count == 1 ? "1" : nil) {
            Self.parseChoices($0, count: options.count)
        }
        return picked.map { options[$0 - 1].value }
    }

    /// A real calendar date, not after `latest` when given; `check` adds the flow's own rules.
    func date(
        _ label: String, latest: CalendarDate? = nil, optional: Bool = false, skip: String = "可直接回车跳过",
        check: (CalendarDate) -> String? = { _ in nil }
    ) throws -> CalendarDate? {
        let hint = optional ? "（YYYY-MM-DD，\(skip)）" : "（YYYY-MM-DD）"
        return try ask(label + hint) { answer -> Result<CalendarDate?, Problem> in
            if answer.isEmpty, optional { return .success(nil) }
            return Self.parseDate(answer, latest: latest).flatMap { date in
                check(date).map { .failure(Problem($0)) } ?? .success(date)
            }
        }
    }

    func number(_ label: String, range: ClosedRange<Int>, default preset: Int? = nil) throws -> Int {
        try ask(label, preset: preset.map(String.init)) { Self.parseNumber($0, range: range) }
    }

    func amount(_ label: String, default preset: Money? = nil) throws -> Money {
        try ask(label + "（元）", preset: preset?.description) { Self.parseAmount($0) }
    }

    /// The summary's last question: Enter means yes when `yes` is the default.
    func confirm(_ question: String = "确认提交？", default yes: Bool = true) throws -> Bool {
        try ask(question + (yes ? "[Y/n]" : "[y/N]")) { Self.parseYesNo($0, default: yes) }
    }

    /// What will be saved, one field a line, before `confirm`.
    func summary(_ title: String, _ rows: [(String, String?)]) {
        line("")
        line("\(title)：")
        for (label, value) in rows { line("  \(label)：\(value ?? "（未填写）")") }
    }

    /// "*就诊医院（…）" → "就诊医院", for "请填写…".
    private static func bare(_ label: String) -> String {
        String(label.drop { $0 == "*" }.prefix { $0 != "（" && $0 != "(" })
    }
}

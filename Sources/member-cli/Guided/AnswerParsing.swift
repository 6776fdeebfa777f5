import Foundation
import MutualAidDomain

/// What is wrong with an answer, said so that the person can fix it.
struct Problem: Error, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
}

/// The checks behind each kind of question: pure, so they are tested without a terminal.
extension Prompter {
    private static func isDigit(_ c: Character) -> Bool { ("0"..."9").contains(c) }

    /// YYYY-MM-DD (one-digit month or day accepted), a date that exists, not after `latest`.
    static func parseDate(_ text: String, latest: CalendarDate? = nil) -> Result<CalendarDate, Problem> {
        let example = (latest ?? CalendarDate.today(in: CalendarDate.chinaTimeZone)).description
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            parts.allSatisfy({ $0.allSatisfy(isDigit) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return .failure(Problem("日期格式应为 YYYY-MM-DD，例如 \(example)")) }
        guard (1...12).contains(month) else { return .failure(Problem("月份应在 1 到 12 之间，没有 \(month) 月")) }
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            let days = (28...31).last { CalendarDate(year: year, month: month, day: $0) != nil } ?? 28
            return .failure(Problem("日期不存在：\(year)年\(month)月只有\(days)天，没有\(day)日"))
        }
        if let latest, date > latest { return .failure(Problem("日期不能晚于今天（\(latest)）")) }
        return .success(date)
    }

    /// Yuan with at most two decimals, not negative; "元" and thousands separators are allowed.
    static func parseAmount(_ text: String) -> Result<Money, Problem> {
        var cleaned = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "，", with: "")
        if cleaned.hasSuffix("元") { cleaned.removeLast() }
        cleaned = cleaned.trimmingCharacters(in: .whitespaces)
        guard !cleaned.isEmpty else { return .failure(Problem("请输入金额")) }
        guard let money = Money(cleaned) else {
            return .failure(Problem("金额应为数字，最多两位小数，例如 1280.50"))
        }
        guard money >= .zero else { return .failure(Problem("金额不能为负数")) }
        return .success(money)
    }

    static func parseNumber(_ text: String, range: ClosedRange<Int>) -> Result<Int, Problem> {
        guard !text.isEmpty, text.allSatisfy(isDigit), text.count <= 9, let n = Int(text) else {
            return .failure(Problem("请输入整数，例如 \(range.lowerBound)"))
        }
        guard range.contains(n) else {
            return .failure(Problem("应在 \(range.lowerBound) 到 \(range.upperBound) 之间"))
        }
        return .success(n)
    }

    /// A number from 1 to `count`.
    static func parseChoice(_ text: String, count: Int) -> Result<Int, Problem> {
        guard let n = Int(text), (1...count).contains(n) else {
            return .failure(Problem(count == 1 ? "请输入 1" : "请输入 1 到 \(count) 之间的编号"))
        }
        return .success(n)
    }

    /// Numbers from 1 to `count`, separated by commas, 、 or spaces; each once, in the order typed.
    static func parseChoices(_ text: String, count: Int) -> Result<[Int], Problem> {
        let pieces = text.split { ",，、 ".contains($0) }
        var picked: [Int] = []
        for piece in pieces {
            guard let n = Int(piece), (1...count).contains(n) else {
                return .failure(Problem("请输入 1 到 \(count) 之间的编号，多个编号用逗号分隔"))
            }
            if !picked.contains(n) { picked.append(n) }
        }
        return picked.isEmpty ? .failure(Problem("请至少选择一项")) : .success(picked)
    }

    static func parseYesNo(_ text: String, default yes: Bool) -> Result<Bool, Problem> {
        switch text.lowercased() {
        case "": .success(yes)
        case "y", "yes", "是", "好", "确认": .success(true)
        case "n", "no", "否", "不": .success(false)
        default: .failure(Problem("请输入 y（是）或 n（否）"))
        }
    }

    /// A domain rule (throwing `RuleViolation`) as the question's check: its message, or nil.
    static func problem(_ check: @escaping (String) throws -> Void) -> (String) -> String? {
        { value in
            do {
                try check(value)
                return nil
            } catch {
                return (error as? RuleViolation)?.message ?? String(describing: error)
            }
        }
    }

    /// Not empty (the prompt asks again) and within the stored field's length.
    static func fits(_ max: Int, _ label: String) -> (String) -> String? {
        { TextLimit.fits($0, characters: max) ? nil : "\(label)不能超过\(max)个字" }
    }
}

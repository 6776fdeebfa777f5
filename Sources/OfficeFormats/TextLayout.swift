/// Width estimates and line breaking for the PDF composer.
enum TextLayout {
    /// Wide (CJK, full-width) characters take a full em, the rest half an em.
    static func em(_ scalar: Unicode.Scalar) -> Double {
        scalar.value < 0x1100 ? 0.5 : 1.0
    }

    static func width(_ text: String, size: Double) -> Double {
        text.unicodeScalars.reduce(0) { $0 + em($1) } * size
    }

    /// Punctuation that must not begin a line in Chinese typesetting.
    private static let noLineStart: Set<Unicode.Scalar> = [
        "，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "》", "”", "’", ",", ".", ";", ":", ")", "!", "?",
    ]

    /// Breaks `text` into lines no wider than `width`: between Chinese characters anywhere,
    /// between Latin words at spaces, inside a word only when the word alone is too wide.
    static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        let limit = max(width / size, 1)  // in ems
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String.UnicodeScalarView()
            var lineEms = 0.0
            for token in tokens(String(paragraph)) {
                let tokenEms = token.reduce(0) { $0 + em($1) }
                let isSpace = token.first == " "
                if lineEms + tokenEms <= limit
                    || (token.count == 1 && token.first.map(noLineStart.contains) == true && lineEms > 0)
                {
                    line += token
                    lineEms += tokenEms
                    continue
                }
                if isSpace { continue }  // a break swallows the space
                if !line.isEmpty {
                    lines.append(String(String(line).trimmingTrailingSpaces))
                    line = String.UnicodeScalarView()
                    lineEms = 0
                }
                // A single token wider than the line is cut by character.
                for scalar in token {
                    if lineEms + em(scalar) > limit, !line.isEmpty {
                        lines.append(String(line))
                        line = String.UnicodeScalarView()
                        lineEms = 0
                    }
                    line.append(scalar)
                    lineEms += em(scalar)
                }
            }
            lines.append(String(String(line).trimmingTrailingSpaces))
        }
        return lines
    }

    /// Runs of non-space narrow characters stay together as words; each wide character and
    /// each space is a token of its own.
    private static func tokens(_ text: String) -> [[Unicode.Scalar]] {
        var result: [[Unicode.Scalar]] = []
        var word: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if em(scalar) < 1, scalar != " " {
                word.append(scalar)
                continue
            }
            if !word.isEmpty {
                result.append(word)
                word = []
            }
            result.append([scalar])
        }
        if !word.isEmpty { result.append(word) }
        return result
    }

    /// Fractions (sum ≤ 1) of `total`, or points scaled down to fit; equal shares when missing.
    static func columnWidths(_ widths: [Double], count: Int, total: Double) -> [Double] {
        guard count > 0 else { return [] }
        let given = (0..<count).map { i in i < widths.count && widths[i].isFinite && widths[i] > 0 ? widths[i] : 0 }
        let known = given.filter { $0 > 0 }
        let fallback = known.isEmpty ? 1.0 / Double(count) : (known.reduce(0, +) / Double(known.count))
        let filled = given.map { $0 > 0 ? $0 : fallback }
        let sum = filled.reduce(0, +)
        if sum <= 1.0001 { return filled.map { $0 * total } }
        let scale = min(1, total / sum)
        return filled.map { $0 * scale }
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: Substring {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return s
    }
}

/// An amount in Chinese capitals (人民币大写) as forms and bank slips write it:
/// 123.45 → 壹佰贰拾叁元肆角伍分, 79.00 → 柒拾玖元整, 1005.06 → 壹仟零伍元零陆分.
/// A run of zeros is written as one 零, none at the end of a group or of the yuan.
extension Money {
    public var chineseCapitals: String {
        let magnitude = cents.magnitude
        let yuan = magnitude / 100
        let jiao = Int(magnitude % 100 / 10)
        let fen = Int(magnitude % 10)
        var text = cents < 0 ? "负" : ""
        if yuan > 0 { text += ChineseCapitals.integer(yuan) + "元" }
        if jiao == 0 && fen == 0 { return text + (yuan == 0 ? "零元整" : "整") }
        if jiao > 0 {
            text += ChineseCapitals.digits[jiao] + "角"
        } else if yuan > 0 {
            text += "零"
        }
        if fen > 0 { text += ChineseCapitals.digits[fen] + "分" }
        return text
    }
}

enum ChineseCapitals {
    static let digits = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"]
    static let places = ["", "拾", "佰", "仟"]
    static let groups = ["", "万", "亿", "万亿"]

    /// A positive whole number in groups of four digits (个, 万, 亿, 万亿).
    static func integer(_ n: UInt64) -> String {
        var parts: [UInt64] = []
        var rest = n
        while rest > 0 {
            parts.append(rest % 10_000)
            rest /= 10_000
        }
        var text = ""
        var zeroPending = false
        for index in parts.indices.reversed() {
            let group = parts[index]
            if group == 0 {
                if !text.isEmpty { zeroPending = true }
                continue
            }
            // A gap before this group (a zero group, or fewer than four digits) reads as 零.
            if !text.isEmpty && (zeroPending || group < 1000) { text += "零" }
            text += fourDigits(Int(group)) + groups[min(index, groups.count - 1)]
            zeroPending = false
        }
        return text
    }

    /// 1..9999 without leading zeros: 1005 → 壹仟零伍, 1050 → 壹仟零伍拾, 10 → 壹拾.
    static func fourDigits(_ n: Int) -> String {
        var text = ""
        var zero = false
        for place in stride(from: 3, through: 0, by: -1) {
            var power = 1
            for _ in 0..<place { power *= 10 }
            let digit = n / power % 10
            if digit == 0 {
                if !text.isEmpty { zero = true }
            } else {
                if zero { text += "零" }
                zero = false
                text += digits[digit] + places[place]
            }
        }
        return text
    }
}

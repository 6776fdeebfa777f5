/// Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
/// 31-character alphabet without I, O, S, V, Z; the last is a mod-31 check character.
public enum UnifiedSocialCreditCode {
    static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    public static func checkCharacter(for first17: some StringProtocol) -> Character? {
        guard first17.count == 17 else { return nil }
        var sum = 0
        for (c, w) in zip(first17, weights) {
            guard let value = alphabet.firstIndex(of: c) else { return nil }
            sum += value * w
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    public static func validate(_ raw: String, field: String = "code") throws(RuleViolation) {
        let code = raw.uppercased()
        guard code.count == 18 else { throw RuleViolation(field: field, message: "统一社会信用代码应为18位") }
        guard code.allSatisfy({ alphabet.contains($0) }) else {
            throw RuleViolation(field: field, message: "统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）")
        }
        guard checkCharacter(for: code.prefix(17)) == code.last else {
            throw RuleViolation(field: field, message: "统一社会信用代码校验位不正确，请对照营业执照核对")
        }
    }
}

/// Office phone and e-mail of a unit's contact.
extension ContactRules {
    /// Area code (0 + 2–3 digits) and a 7–8 digit number, with or without a hyphen.
    public static func validateOfficePhone(_ value: String, field: String = "officePhone") throws(RuleViolation) {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        let ok: Bool
        if parts.count == 2 {
            ok =
                parts[0].first == "0" && (3...4).contains(parts[0].count) && (7...8).contains(parts[1].count)
                && parts.allSatisfy { $0.allSatisfy(\.isASCIIDigit) }
        } else {
            ok = value.first == "0" && (10...12).contains(value.count) && value.allSatisfy(\.isASCIIDigit)
        }
        guard ok else { throw RuleViolation(field: field, message: "办公电话应为区号加号码，例如 0914-2345678") }
    }

    public static func validateEmail(_ value: String, field: String = "email") throws(RuleViolation) {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.count <= 100, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !value.contains(where: \.isWhitespace)
        else {
            throw RuleViolation(field: field, message: "电子邮箱格式不正确，例如 gonghui@example.com")
        }
    }
}

import Foundation

/// Rules for contact and payout fields, shared by the client (checked as typed) and the
/// server (checked again on push).
public enum ContactRules {
    public static func validateMobile(_ value: String, field: String = "mobile") throws(RuleViolation) {
        guard digitCount(value) == 11, value.utf8.first == UInt8(ascii: "1") else {
            throw RuleViolation(field: field, message: "手机号码应为以1开头的11位数字")
        }
    }

    /// Chinese bank card and account numbers: 12 to 30 digits (cards 16–19, passbooks longer).
    public static func validateBankAccount(_ value: String, field: String = "bankAccount") throws(RuleViolation) {
        guard let digits = digitCount(value), (12...30).contains(digits) else {
            throw RuleViolation(field: field, message: "银行账号应为12到30位数字，不含空格")
        }
    }

    /// How many digits the text is, when it is ASCII digits only (nil otherwise), read from
    /// its UTF-8 bytes: a grapheme walk of each pushed number was a twentieth of a push.
    static func digitCount(_ value: String) -> Int? {
        var count = 0
        for byte in value.utf8 {
            guard byte &- UInt8(ascii: "0") < 10 else { return nil }
            count += 1
        }
        return count
    }

    public static func validateBankName(_ value: String, field: String = "bankName") throws(RuleViolation) {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 50 else {
            throw RuleViolation(field: field, message: "开户银行名称不能为空，且不超过50个字")
        }
    }
}

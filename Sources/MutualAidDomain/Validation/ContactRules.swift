import Foundation

/// Rules for contact and payout fields, shared by the client (checked as typed) and the
/// server (checked again on push).
public enum ContactRules {
    public static func validateMobile(_ value: String, field: String = "mobile") throws(RuleViolation) {
        guard value.count == 11, value.first == "1", value.allSatisfy(\.isASCIIDigit) else {
            throw RuleViolation(field: field, message: "手机号码应为以1开头的11位数字")
        }
    }

    /// Chinese bank card and account numbers: 12 to 30 digits (cards 16–19, passbooks longer).
    public static func validateBankAccount(_ value: String, field: String = "bankAccount") throws(RuleViolation) {
        guard (12...30).contains(value.count), value.allSatisfy(\.isASCIIDigit) else {
            throw RuleViolation(field: field, message: "银行账号应为12到30位数字，不含空格")
        }
    }

    public static func validateBankName(_ value: String, field: String = "bankName") throws(RuleViolation) {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 50 else {
            throw RuleViolation(field: field, message: "开户银行名称不能为空，且不超过50个字")
        }
    }
}

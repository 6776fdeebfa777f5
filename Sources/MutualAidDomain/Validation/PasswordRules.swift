public enum PasswordRules {
    /// At least 8 characters with letters and digits; not the current one.
    public static func validate(new: String, current: String) throws(RuleViolation) {
        guard new.count >= 8, new.utf8.count <= 128, new.contains(where: \.isLetter), new.contains(where: \.isNumber)
        else {
            throw RuleViolation(field: "newPassword", message: "新密码至少8位，须同时包含字母和数字")
        }
        guard new != current else { throw RuleViolation(field: "newPassword", message: "新密码不能与初始密码相同") }
    }
}

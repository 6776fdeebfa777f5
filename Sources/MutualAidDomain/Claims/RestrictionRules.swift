import Foundation

/// Who may put a person on the restricted list (限制名单) and take them off it.
///
/// Agencies and the office mark a person while reviewing a claim (DOMAIN §5, step 4). Taking
/// a person off lifts a warning every reviewer in the province relies on, so only the office
/// (办事处) does it, and always with a note saying why; the manual's 限制名单 is a page of
/// the office's menu beside 权限管理.
public enum RestrictionRules {
    public static func mayMark(_ role: Role) -> RuleViolation? {
        role == .agent || role == .office ? nil : RuleViolation(field: "role", message: "只有代办机构和办事处可以标记限制名单")
    }

    public static func mayList(_ role: Role) -> RuleViolation? {
        role == .agent || role == .office ? nil : RuleViolation(field: "role", message: "限制名单只有代办机构和办事处可以查看")
    }

    public static func mayLift(_ role: Role) -> RuleViolation? {
        role == .office ? nil : RuleViolation(field: "role", message: "只有办事处可以解除限制名单；请联系办事处办理")
    }

    /// The reason for lifting: required, at most 200 characters.
    public static func liftNoteViolation(_ note: String) -> RuleViolation? {
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return RuleViolation(field: "note", message: "请用 --note 说明解除限制的原因") }
        if trimmed.count > 200 { return RuleViolation(field: "note", message: "解除说明不能超过200个字") }
        return nil
    }
}

import Foundation

/// 活动管理 / 申领材料: what the office may put in the catalogue. The same checks guard the
/// server's writes and the client's input, so a refusal reads the same everywhere.
public enum CatalogueRules {
    /// Catalogue codes (activity, standard and material item ids) are lower-case ASCII letters,
    /// digits and "-", 2 to 64 long: they appear in URLs, file names and other devices' data.
    public static func checkCode(_ code: String, field: String, what: String) -> RuleViolation? {
        let allowed = code.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
        guard allowed, (2...64).contains(code.count), code.first != "-" else {
            return RuleViolation(field: field, message: "\(what)编号只能用小写字母、数字和 -，2 到 64 个字符，如 std-staff-med")
        }
        return nil
    }

    public static func check(activity a: ProtectionActivity) -> RuleViolation? {
        if let v = checkCode(a.id, field: "id", what: "保障活动") { return v }
        if let v = checkNames(name: a.name, subtype: a.subtype) { return v }
        if let v = checkFee(a.fee) { return v }
        if let v = checkMinRate(a.minEnrolmentRatePercent) { return v }
        guard Set(a.standards.map(\.id)).count == a.standards.count else {
            return RuleViolation(field: "standards", message: "给付标准编号重复，请每个标准用不同的编号")
        }
        return a.standards.lazy.compactMap { check(standard: $0) }.first
    }

    public static func checkNames(name: String?, subtype: String?) -> RuleViolation? {
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty || !TextLimit.fits(name, characters: 100) {
            return RuleViolation(field: "name", message: "活动名称不能为空，最多 100 个字")
        }
        if let subtype, !TextLimit.fits(subtype, characters: 50) {
            return RuleViolation(field: "subtype", message: "活动细类最多 50 个字")
        }
        return nil
    }

    /// Fees are per share per year; ten thousand yuan is far above any real activity.
    public static func checkFee(_ fee: Money) -> RuleViolation? {
        guard fee > .zero, fee <= Money(cents: 1_000_000) else {
            return RuleViolation(field: "fee", message: "标准会费应大于 0 元，不超过 10000 元/份")
        }
        return nil
    }

    public static func checkMinRate(_ percent: Int) -> RuleViolation? {
        guard (0...100).contains(percent) else {
            return RuleViolation(field: "minEnrolmentRatePercent", message: "最低参保率应为 0 到 100 的百分数")
        }
        return nil
    }

    /// A standard carries exactly what its method reads (DOMAIN §7).
    public static func check(standard s: ClaimStandard) -> RuleViolation? {
        if let v = checkCode(s.id, field: "standardId", what: "给付标准") { return v }
        guard !s.name.trimmingCharacters(in: .whitespaces).isEmpty, TextLimit.fits(s.name, characters: 100) else {
            return RuleViolation(field: "name", message: "给付标准名称不能为空，最多 100 个字")
        }
        return checkRule(s)
    }

    /// The rule part of a standard, also checked as a dated version will leave it.
    public static func checkRule(_ s: ClaimStandard) -> RuleViolation? {
        switch s.method {
        case .medicalRatio:
            guard let bp = s.ratioBasisPoints, (1...10_000).contains(bp) else {
                return RuleViolation(field: "ratio", message: "按比例给付的标准需要给付比例（大于 0，不超过 100%）")
            }
        case .dailyAllowance, .fixed, .disabilityRatio:
            guard let amount = s.amount, amount > .zero else {
                return RuleViolation(field: "amount", message: "「\(s.method.chineseName)」的标准需要大于 0 的给付金额")
            }
        }
        if let cap = s.cap, cap <= .zero {
            return RuleViolation(field: "cap", message: "封顶金额应大于 0 元；不封顶时不填")
        }
        guard (0...3650).contains(s.waitingDays), (0...3650).contains(s.observationDays) else {
            return RuleViolation(field: "waitingDays", message: "等待期和观察期应为 0 到 3650 天")
        }
        if s.consolation != nil, s.observationDays == 0 {
            return RuleViolation(field: "consolation", message: "只有设了观察期的标准才有观察期内的慰问金")
        }
        if let c = s.consolation, c <= .zero {
            return RuleViolation(field: "consolation", message: "慰问金应大于 0 元")
        }
        return nil
    }

    public static func check(material m: MaterialRequirement) -> RuleViolation? {
        if let v = checkCode(m.item, field: "item", what: "材料") { return v }
        guard !m.name.trimmingCharacters(in: .whitespaces).isEmpty, TextLimit.fits(m.name, characters: 100) else {
            return RuleViolation(field: "name", message: "材料名称不能为空，最多 100 个字")
        }
        guard (1...20).contains(m.maxCount) else {
            return RuleViolation(field: "maxCount", message: "每项材料可上传的份数应为 1 到 20")
        }
        return nil
    }
}

extension CatalogueRules {
    /// A row of the disability grade table: grades 1 to 10, a name, a ratio above 0 and at most 100%.
    public static func check(grade g: DisabilityGrade) -> RuleViolation? {
        guard (1...10).contains(g.grade) else { return RuleViolation(field: "grade", message: "伤残等级应为 1 到 10 级") }
        guard !g.itemName.trimmingCharacters(in: .whitespaces).isEmpty, TextLimit.fits(g.itemName, characters: 50)
        else {
            return RuleViolation(field: "name", message: "等级名称不能为空，最多 50 个字")
        }
        guard (1...10_000).contains(g.ratioBasisPoints) else {
            return RuleViolation(field: "ratio", message: "给付比例应大于 0，不超过 100%")
        }
        return nil
    }
}

extension BenefitMethod {
    public var chineseName: String {
        switch self {
        case .medicalRatio: "按比例给付"
        case .dailyAllowance: "按日津贴"
        case .fixed: "定额给付"
        case .disabilityRatio: "按伤残等级比例给付"
        }
    }
}

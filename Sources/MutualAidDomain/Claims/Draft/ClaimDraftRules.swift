/// The checks on a claim draft, made by the client as each field is entered and again by the
/// server when the claim is submitted. Messages are Chinese and carry no member data.
public enum ClaimDraftRules {
    public static func checkStay(admitted: CalendarDate, discharged: CalendarDate?, today: CalendarDate)
        throws(RuleViolation)
    {
        guard admitted <= today else {
            throw RuleViolation(field: "admitted", message: "入院日期不能晚于今天")
        }
        if let discharged {
            guard discharged <= today else { throw RuleViolation(field: "discharged", message: "出院日期不能晚于今天") }
            guard discharged >= admitted else { throw RuleViolation(field: "discharged", message: "出院日期不能早于入院日期") }
        }
    }

    /// The incident (or admission) date against today, the enrolment's protection period and
    /// the two-year limit.
    public static func checkIncident(
        _ date: CalendarDate, period: ProtectionPeriod?, today: CalendarDate,
        field: String = "incidentDate"
    ) throws(RuleViolation) {
        guard date <= today else { throw RuleViolation(field: field, message: "出险日期不能晚于今天") }
        if let period, !period.contains(date) {
            throw RuleViolation(field: field, message: "出险日期不在所选参保记录的保障期间（\(period.chineseText)）内")
        }
        // Within two years: up to the same calendar date two years later.
        guard today <= ClaimFacts.filingDeadline(incident: date) else {
            throw RuleViolation(field: field, message: "出险已超过两年，已过申领时效")
        }
    }

    /// What a complete draft still lacks, as Chinese field names.
    public static func missingFields(_ draft: ClaimDraft) -> [String] {
        var missing: [String] = []
        if draft.claimType == nil { missing.append("申领类型") }
        if draft.enrolmentId == nil { missing.append("参保记录") }
        if draft.standardIds.isEmpty { missing.append("申领标准") }
        if draft.claimType?.isHospitalStay == true {
            if draft.admitted == nil { missing.append("入院日期") }
            if draft.discharged == nil { missing.append("出院日期") }
            if draft.hospital == nil { missing.append("就诊医院") }
            if draft.diagnosis == nil { missing.append("主要诊断") }
        } else if draft.incidentDate == nil {
            missing.append("出险日期")
        }
        if draft.payeeRelation == nil { missing.append("领款人与被保险人关系") }
        if draft.payeeName == nil { missing.append("领款人姓名") }
        if draft.payeeMobile == nil { missing.append("领款人手机") }
        if draft.payeeBankAccount == nil { missing.append("领款银行账号") }
        if draft.payeeBankName == nil { missing.append("开户银行") }
        return missing
    }

    /// Required items with no material, as their names.
    public static func missingMaterials(_ checklist: [MaterialRequirement], counts: [String: Int]) -> [String] {
        checklist.filter { $0.required && (counts[$0.item] ?? 0) == 0 }.map(\.name)
    }
}

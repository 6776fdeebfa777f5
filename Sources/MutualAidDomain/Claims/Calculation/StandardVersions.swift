/// Claim standards versioned by effective date (活动管理). A claim is calculated with the rule
/// in force on its rule date — the incident date, else the admission date — so a rule changed
/// later never alters a case filed under the old one. Client (offline estimate) and server
/// resolve through this one function.
public enum StandardVersions {
    /// The fields a version may change; the rest (type, method, name) stay the standard's.
    public static let ruleKeys = ["ratioBp", "amount", "cap", "waitingDays", "observationDays", "consolation"]

    /// The day whose rule applies to a claim (nil: no date yet, the standard's own rule).
    public static func ruleDate(claim: FieldMap) -> CalendarDate? {
        let draft = ClaimDraft(fields: claim)
        return draft.incidentDate ?? draft.admitted
    }

    /// The standard's fields with the latest version in force on `date` laid over them.
    public static func resolve(base: FieldMap, versions: [FieldMap], on date: CalendarDate?) -> FieldMap {
        guard let date else { return base }
        let inForce = versions.compactMap { v -> (CalendarDate, FieldMap)? in
            guard let from = v["effectiveFrom"]?.stringValue.flatMap(CalendarDate.init), from <= date else {
                return nil
            }
            return (from, v)
        }.max { $0.0 < $1.0 }
        guard let (_, version) = inForce else { return base }
        var fields = base
        for key in ruleKeys { fields[key] = version[key] ?? .null }
        return fields
    }

    /// A new version: the rule in force on `effectiveFrom` with the given changes.
    public static func version(
        of standardId: String, current: FieldMap, effectiveFrom: CalendarDate, change: StandardRuleChange,
        by operatorName: String
    ) -> FieldMap {
        var fields: FieldMap = ["standardId": .string(standardId), "effectiveFrom": .string(effectiveFrom.description)]
        for key in ruleKeys { fields[key] = current[key] ?? .null }
        if let ratio = change.ratioBasisPoints { fields["ratioBp"] = .int(Int64(ratio)) }
        if let amount = change.amount { fields["amount"] = .string(amount.description) }
        if let cap = change.cap { fields["cap"] = .string(cap.description) }
        if let days = change.waitingDays { fields["waitingDays"] = .int(Int64(days)) }
        if let days = change.observationDays { fields["observationDays"] = .int(Int64(days)) }
        if let consolation = change.consolation { fields["consolation"] = .string(consolation.description) }
        fields["createdBy"] = .string(operatorName)
        return fields
    }

    /// Refuses a change that would reach cases already filed: a version may start only after
    /// the latest rule date among the standard's accepted cases. `filed` are those rule dates.
    public static func check(
        effectiveFrom: CalendarDate, method: String?, change: StandardRuleChange, filed: [CalendarDate]
    ) -> RuleViolation? {
        guard !change.isEmpty else {
            return RuleViolation(
                field: "rule",
                message: "请至少给出 --ratio、--amount、--cap、--waiting-days、--observation-days、--consolation 中的一项")
        }
        if let ratio = change.ratioBasisPoints, !(1...10_000).contains(ratio) {
            return RuleViolation(field: "ratio", message: "给付比例应在 0.01% 至 100% 之间")
        }
        if change.ratioBasisPoints != nil, method != BenefitMethod.medicalRatio.rawValue {
            return RuleViolation(field: "ratio", message: "该给付标准不按医疗费用比例给付，不能修改比例（可改 --amount 或 --cap）")
        }
        for money in [change.amount, change.cap, change.consolation].compactMap({ $0 }) where money.cents <= 0 {
            return RuleViolation(field: "amount", message: "金额应大于 0")
        }
        for days in [change.waitingDays, change.observationDays].compactMap({ $0 }) where !(0...3650).contains(days) {
            return RuleViolation(field: "waitingDays", message: "等待期和观察期应为 0 到 3650 天")
        }
        if let latest = filed.max(), latest >= effectiveFrom {
            let count = filed.filter { $0 >= effectiveFrom }.count
            return RuleViolation(
                field: "effectiveFrom",
                message:
                    "已有 \(count) 件已受理案件的出险或入院日期在 \(effectiveFrom) 当天或之后，新规则会改变其结果；请把生效日期定在 \(latest.adding(days: 1)) 或之后"
            )
        }
        return nil
    }
}

/// What a dated version changes of a standard's rule; nil keeps the rule in force.
public struct StandardRuleChange: Sendable, Equatable {
    public var ratioBasisPoints: Int?
    public var amount: Money?
    public var cap: Money?
    public var waitingDays: Int?
    public var observationDays: Int?
    /// Paid per share for an incident inside the observation period.
    public var consolation: Money?

    public init(
        ratioBasisPoints: Int? = nil, amount: Money? = nil, cap: Money? = nil, waitingDays: Int? = nil,
        observationDays: Int? = nil, consolation: Money? = nil
    ) {
        self.ratioBasisPoints = ratioBasisPoints
        self.amount = amount
        self.cap = cap
        self.waitingDays = waitingDays
        self.observationDays = observationDays
        self.consolation = consolation
    }

    public var isEmpty: Bool { self == StandardRuleChange() }
}

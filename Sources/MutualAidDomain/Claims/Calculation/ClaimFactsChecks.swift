/// The rules a claim must meet before any benefit is computed (DOMAIN §5, §7).
/// Each failure is a RuleViolation whose message names the rule, never the member's data.
extension ClaimFacts {
    /// Checks the facts on their own: shares, dates against each other and against 'today',
    /// the protection period, the two-year filing limit and the settlement sheets.
    public func check() throws(RuleViolation) {
        guard shares >= 1 else {
            throw RuleViolation(field: "shares", message: "份数至少为1份")
        }
        if claimType.isHospitalStay {
            guard let admitted, discharged != nil else {
                throw RuleViolation(field: "admitted", message: "疾病住院申领须填写入院日期和出院日期")
            }
            guard incidentDate == admitted else {
                throw RuleViolation(field: "incidentDate", message: "疾病住院申领的出险日期应为入院日期")
            }
        }
        if let admitted, let discharged, discharged < admitted {
            throw RuleViolation(field: "discharged", message: "出院日期不能早于入院日期")
        }
        guard incidentDate <= filingDate else {
            throw RuleViolation(field: "incidentDate", message: "出险日期不能晚于申领日期")
        }
        for (field, date) in [("admitted", admitted), ("discharged", discharged)] {
            if let date, date > filingDate {
                throw RuleViolation(field: field, message: "入院、出院日期不能晚于申领日期")
            }
        }
        guard period.contains(incidentDate) else {
            throw RuleViolation(field: "incidentDate", message: "出险日期不在保障期间内，不能申领")
        }
        guard filingDate <= ClaimFacts.filingDeadline(incident: incidentDate) else {
            throw RuleViolation(field: "filingDate", message: "已超过出险之日起两年的申领时效，不能申领")
        }
        if let ratio = disabilityRatioBasisPoints, !(1...10_000).contains(ratio) {
            throw RuleViolation(field: "disabilityRatio", message: "伤残给付比例应在0.01%至100.00%之间")
        }
        for sheet in settlementSheets { try sheet.check(today: filingDate) }
    }

    /// Checks that `standard` can be applied to these facts: same claim type, and the data
    /// its method needs (sheets, days, disability ratio) is present.
    func check(applying standard: ClaimStandard) throws(RuleViolation) {
        guard standard.claimType == claimType else {
            throw RuleViolation(
                field: "standard",
                message: "所选申领标准的申领类型与本次申领类型（\(claimType.chineseName)）不一致")
        }
        try standard.checkCatalogueData()
        switch standard.method {
        case .medicalRatio:
            guard !settlementSheets.isEmpty else {
                throw RuleViolation(field: "settlementSheets", message: "住院医疗互助金须录入至少一张医保结算单")
            }
        case .dailyAllowance:
            guard days != nil else {
                throw RuleViolation(field: "days", message: "住院津贴须填写入院日期和出院日期")
            }
        case .disabilityRatio:
            guard disabilityRatioBasisPoints != nil else {
                throw RuleViolation(field: "disabilityRatio", message: "伤残互助金须录入伤残等级（或直接填写给付比例并说明理由）")
            }
        case .fixed:
            break
        }
    }
}

extension SettlementSheet {
    func check(today: CalendarDate) throws(RuleViolation) {
        guard !hospital.allSatisfy(\.isWhitespace) else {
            throw RuleViolation(field: "hospital", message: "结算单须填写医院名称")
        }
        guard admitted <= discharged else {
            throw RuleViolation(field: "discharged", message: "结算单的出院日期不能早于入院日期")
        }
        guard discharged <= today else {
            throw RuleViolation(field: "discharged", message: "结算单的入院、出院日期不能晚于申领日期")
        }
        for (field, value) in amounts {
            if let value, value < .zero {
                throw RuleViolation(field: field, message: "结算单金额不能为负数")
            }
        }
    }
}

extension ClaimStandard {
    /// Catalogue data a method cannot do without; a failure here is a catalogue error, not the claimant's.
    func checkCatalogueData() throws(RuleViolation) {
        func missing(_ what: String) -> RuleViolation {
            RuleViolation(field: "standard", message: "申领标准缺少\(what)，请联系管理员维护保障活动目录")
        }
        switch method {
        case .medicalRatio:
            guard let ratio = ratioBasisPoints, (0...10_000).contains(ratio) else { throw missing("有效的给付比例") }
        case .dailyAllowance, .fixed, .disabilityRatio:
            guard let amount, amount >= .zero else { throw missing("有效的给付金额") }
        }
        if let cap, cap < .zero { throw missing("有效的封顶金额") }
        if let consolation, consolation < .zero { throw missing("有效的慰问金金额") }
        guard waitingDays >= 0, observationDays >= 0 else { throw missing("有效的等待期、观察期天数") }
    }
}

/// The claim calculation (申领计算, DOMAIN §7): one benefit line per selected claim standard,
/// driven only by catalogue data. Pure: the same standards and facts always give the same table.
public enum BenefitCalculator {
    /// Checks the facts, then computes each standard's line and the total.
    public static func calculate(standards: [ClaimStandard], facts: ClaimFacts) throws(RuleViolation) -> BenefitTable {
        guard !standards.isEmpty else {
            throw RuleViolation(field: "standards", message: "请至少选择一个申领标准")
        }
        try facts.check()
        var lines: [BenefitLine] = []
        var total = Money.zero
        for standard in standards {
            try facts.check(applying: standard)
            let line = try line(for: standard, facts: facts)
            total = try total.adding(line.benefit)
            lines.append(line)
        }
        return BenefitTable(lines: lines, total: total)
    }

    static func line(for standard: ClaimStandard, facts: ClaimFacts) throws(RuleViolation) -> BenefitLine {
        var line = try fullLine(for: standard, facts: facts)
        switch CoverPhase.of(standard: standard, facts: facts) {
        case .waiting:
            // 等待期: nothing is paid; the line stays in the table so the reviewer sees why.
            line.ratioBasisPoints = 0
            line.benefit = .zero
            line.note = "等待期内出险，不予给付"
            return line
        case .observation:
            let consolation = standard.consolation ?? .zero
            line.baseAmount = consolation
            line.baseDays = nil
            line.ratioBasisPoints = 10_000
            line.benefit = try consolation.multiplied(by: facts.shares)
            line.note = standard.consolation == nil ? "观察期内出险，本标准无慰问金，不予给付" : "观察期内出险，仅给付慰问金"
        case .covered:
            break
        }
        if let cap = standard.cap {
            let limit = try cap.multiplied(by: facts.shares)
            if line.benefit > limit {
                line.benefit = limit
                line.note = [line.note, "已按封顶金额给付"].compactMap { $0 }.joined(separator: "；")
            }
        }
        return line
    }

    /// The line as the standard's formula gives it, before waiting period, observation period and cap.
    static func fullLine(for standard: ClaimStandard, facts: ClaimFacts) throws(RuleViolation) -> BenefitLine {
        let shares = facts.shares
        func make(base: Money, days: Int?, ratio: Int, benefit: Money) -> BenefitLine {
            BenefitLine(
                standardId: standard.id, standardName: standard.name, claimType: standard.claimType,
                baseAmount: base, baseDays: days, shares: shares, ratioBasisPoints: ratio, benefit: benefit)
        }
        // `check(applying:)` has made sure the data each method needs is present.
        switch standard.method {
        case .medicalRatio:
            var base = Money.zero
            for sheet in facts.settlementSheets { base = try base.adding(try sheet.base()) }
            let ratio = standard.ratioBasisPoints ?? 0
            return make(
                base: base, days: facts.days, ratio: ratio,
                benefit: try base.applying(basisPoints: ratio, times: shares))
        case .dailyAllowance:
            let perDay = standard.amount ?? .zero
            let days = facts.days ?? 0
            return make(
                base: perDay, days: days, ratio: 10_000,
                benefit: try perDay.multiplied(by: days).multiplied(by: shares))
        case .disabilityRatio:
            let amount = standard.amount ?? .zero
            let ratio = facts.disabilityRatioBasisPoints ?? 0
            return make(
                base: amount, days: nil, ratio: ratio,
                benefit: try amount.applying(basisPoints: ratio, times: shares))
        case .fixed:
            let amount = standard.amount ?? .zero
            return make(base: amount, days: nil, ratio: 10_000, benefit: try amount.multiplied(by: shares))
        }
    }
}

/// Where an incident falls relative to the start of cover, for one standard.
enum CoverPhase: Equatable {
    case waiting, observation, covered

    /// Day numbers count from the period start (day 0). With waitingDays 30 and observationDays 60:
    /// days 0–29 waiting (nothing), days 30–59 observation (consolation only), day 60 on covered.
    /// A timely renewal is covered from day 0.
    static func of(standard: ClaimStandard, facts: ClaimFacts) -> CoverPhase {
        if facts.isRenewalWithin15Days { return .covered }
        let day = facts.dayOfCover
        if day < standard.waitingDays { return .waiting }
        if day < standard.observationDays { return .observation }
        return .covered
    }
}

/// A medical-insurance settlement sheet (医保结算单), as entered at cost entry (DOMAIN §7).
/// Only the four amounts of the base formula and the stay dates are required; the rest is
/// recorded for the reviewers and may be missing on a sheet.
public struct SettlementSheet: Codable, Hashable, Sendable {
    public var hospital: String
    /// 医院等级, e.g. 二级.
    public var hospitalLevel: String?
    /// 险种, e.g. 职工医保.
    public var insuranceType: String?
    public var sheetNumber: String?
    public var admitted: CalendarDate
    public var discharged: CalendarDate
    /// 总金额.
    public var total: Money?
    /// 符合范围金额.
    public var inScope: Money
    /// 统筹基金支付.
    public var pooled: Money
    /// 实际支付起付线.
    public var deductible: Money
    /// 大额支付金额.
    public var largeAmount: Money
    /// 部分自付.
    public var partialSelfPay: Money?
    /// 全额自费.
    public var fullSelfPay: Money?
    /// 超限价自费.
    public var overLimitSelfPay: Money?
    /// 个人账户支付.
    public var personalAccount: Money?
    /// 个人现金支付.
    public var cash: Money?
    /// 个人负担合计.
    public var personalBurden: Money?
    /// 是否异地就医.
    public var outOfArea: Bool
    /// 第三方支付金额.
    public var thirdParty: Money?
    /// 公务员补助支付.
    public var civilServantSubsidy: Money?

    public init(
        hospital: String, hospitalLevel: String? = nil, insuranceType: String? = nil,
        sheetNumber: String? = nil, admitted: CalendarDate, discharged: CalendarDate,
        total: Money? = nil, inScope: Money, pooled: Money, deductible: Money,
        largeAmount: Money = .zero, partialSelfPay: Money? = nil, fullSelfPay: Money? = nil,
        overLimitSelfPay: Money? = nil, personalAccount: Money? = nil, cash: Money? = nil,
        personalBurden: Money? = nil, outOfArea: Bool = false, thirdParty: Money? = nil,
        civilServantSubsidy: Money? = nil
    ) {
        self.hospital = hospital
        self.hospitalLevel = hospitalLevel
        self.insuranceType = insuranceType
        self.sheetNumber = sheetNumber
        self.admitted = admitted
        self.discharged = discharged
        self.total = total
        self.inScope = inScope
        self.pooled = pooled
        self.deductible = deductible
        self.largeAmount = largeAmount
        self.partialSelfPay = partialSelfPay
        self.fullSelfPay = fullSelfPay
        self.overLimitSelfPay = overLimitSelfPay
        self.personalAccount = personalAccount
        self.cash = cash
        self.personalBurden = personalBurden
        self.outOfArea = outOfArea
        self.thirdParty = thirdParty
        self.civilServantSubsidy = civilServantSubsidy
    }

    /// 基准金额 of this sheet: in-scope − pooled − deductible − large-amount, never below 0
    /// (a sheet the fund fully covered leaves the member nothing to claim, not a debt).
    public func base() throws(RuleViolation) -> Money {
        let cents = inScope.cents.subtractingReportingOverflow(pooled.cents)
        let lessDeductible = cents.partialValue.subtractingReportingOverflow(deductible.cents)
        let lessLarge = lessDeductible.partialValue.subtractingReportingOverflow(largeAmount.cents)
        guard !cents.overflow, !lessDeductible.overflow, !lessLarge.overflow else { throw Money.outOfRange }
        return Money(cents: max(0, lessLarge.partialValue))
    }

    /// Every amount on the sheet that must not be negative, with its field name.
    var amounts: [(field: String, value: Money?)] {
        [
            ("total", total), ("inScope", inScope), ("pooled", pooled), ("deductible", deductible),
            ("largeAmount", largeAmount), ("partialSelfPay", partialSelfPay), ("fullSelfPay", fullSelfPay),
            ("overLimitSelfPay", overLimitSelfPay), ("personalAccount", personalAccount), ("cash", cash),
            ("personalBurden", personalBurden), ("thirdParty", thirdParty),
            ("civilServantSubsidy", civilServantSubsidy),
        ]
    }
}

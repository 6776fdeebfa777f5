/// One row of the benefit table (互助金明细): a claim standard and what it pays.
public struct BenefitLine: Codable, Hashable, Sendable {
    public var standardId: String
    public var standardName: String
    public var claimType: ClaimType
    /// 基准金额: the sheets' base for medical-ratio, otherwise the amount per share (per day).
    public var baseAmount: Money
    /// 基准天数: the stay's days, for hospital-stay standards.
    public var baseDays: Int?
    public var shares: Int
    /// 给付比例 in basis points (7000 = 70.00%).
    public var ratioBasisPoints: Int
    /// 互助金.
    public var benefit: Money
    /// Why the benefit differs from the plain formula (waiting period, consolation, cap).
    public var note: String?

    public init(
        standardId: String, standardName: String, claimType: ClaimType, baseAmount: Money,
        baseDays: Int?, shares: Int, ratioBasisPoints: Int, benefit: Money, note: String? = nil
    ) {
        self.standardId = standardId
        self.standardName = standardName
        self.claimType = claimType
        self.baseAmount = baseAmount
        self.baseDays = baseDays
        self.shares = shares
        self.ratioBasisPoints = ratioBasisPoints
        self.benefit = benefit
        self.note = note
    }

    /// "70.00", as the table shows the ratio (without the % sign).
    public var ratioText: String { PercentText.format(basisPoints: ratioBasisPoints) }
}

/// The benefit table of a claim and its total (汇总信息).
public struct BenefitTable: Codable, Hashable, Sendable {
    public var lines: [BenefitLine]
    public var total: Money

    public init(lines: [BenefitLine], total: Money) {
        self.lines = lines
        self.total = total
    }
}

/// How a claim standard's benefit is computed (DOMAIN §7).
public enum BenefitMethod: String, Codable, Sendable, CaseIterable {
    /// Per settlement sheet: in-scope − pooled − deductible − large-amount, summed, × ratio × shares.
    case medicalRatio = "medical-ratio"
    /// Amount per day × days × shares.
    case dailyAllowance = "daily-allowance"
    /// Fixed amount × shares (death; critical illness with its observation period).
    case fixed
    /// The standard's amount × the disability grade's ratio × shares.
    case disabilityRatio = "disability-ratio"
}

/// A claim standard (申领标准) of a protection activity: catalogue data, not code.
public struct ClaimStandard: Codable, Hashable, Sendable {
    public var id: String
    public var activityId: String
    public var claimType: ClaimType
    public var name: String
    public var method: BenefitMethod
    /// Payout ratio in basis points (7000 = 70.00%), for `medicalRatio`.
    public var ratioBasisPoints: Int?
    /// Fixed amount, per-day amount, or disability base amount, per share.
    public var amount: Money?
    /// Upper limit of the benefit per share, if any.
    public var cap: Money?
    /// Days from the start of cover during which nothing is paid (e.g. 30).
    public var waitingDays: Int
    /// Days from the start of cover during which only `consolation` is paid (e.g. 60);
    /// 0 when the standard has no observation period.
    public var observationDays: Int
    /// Paid per share for an incident inside the observation period.
    public var consolation: Money?

    public init(
        id: String, activityId: String, claimType: ClaimType, name: String, method: BenefitMethod,
        ratioBasisPoints: Int? = nil, amount: Money? = nil, cap: Money? = nil, waitingDays: Int = 0,
        observationDays: Int = 0, consolation: Money? = nil
    ) {
        self.id = id
        self.activityId = activityId
        self.claimType = claimType
        self.name = name
        self.method = method
        self.ratioBasisPoints = ratioBasisPoints
        self.amount = amount
        self.cap = cap
        self.waitingDays = waitingDays
        self.observationDays = observationDays
        self.consolation = consolation
    }
}

/// A protection period (保障期间): from 00:00 of `start` to 24:00 of `end`, both inclusive.
public struct ProtectionPeriod: Codable, Hashable, Sendable {
    public var start: CalendarDate
    public var end: CalendarDate

    public init(start: CalendarDate, end: CalendarDate) {
        self.start = start
        self.end = end
    }

    /// One year from the effective date: 2024-11-10 → 2025-11-09.
    public static func oneYear(from effective: CalendarDate) -> ProtectionPeriod {
        let nextYear =
            CalendarDate(year: effective.year + 1, month: effective.month, day: effective.day)
            ?? CalendarDate(year: effective.year + 1, month: 3, day: 1)!  // 29 Feb → 1 Mar
        return ProtectionPeriod(start: effective, end: nextYear.adding(days: -1))
    }

    public func contains(_ date: CalendarDate) -> Bool { start <= date && date <= end }

    /// As the confirmation letter writes it: "2024-11-10日0时至2025-11-09日24时".
    public var chineseText: String { "\(start)日0时至\(end)日24时" }
}

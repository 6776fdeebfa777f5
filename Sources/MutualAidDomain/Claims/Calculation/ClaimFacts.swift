/// What the benefit calculation needs to know about one claim (出险信息 + 结算单 + 参保).
/// 'Today' is the explicit `filingDate`, so the calculation is pure and repeatable.
public struct ClaimFacts: Codable, Hashable, Sendable {
    public var claimType: ClaimType
    /// 出险日期; for hospitalisation it must be the admission date.
    public var incidentDate: CalendarDate
    public var admitted: CalendarDate?
    public var discharged: CalendarDate?
    public var settlementSheets: [SettlementSheet]
    /// Payout ratio of the disability item (意外给付比例), for disability-ratio standards.
    public var disabilityRatioBasisPoints: Int?
    /// The day the claim is filed or recalculated ('today').
    public var filingDate: CalendarDate
    /// The protection period (保障期间) of the enrolment the claim is made on.
    public var period: ProtectionPeriod
    public var shares: Int
    /// The enrolment renews a previous one within 15 days of its end: no waiting or
    /// observation period applies (confirmation-letter notice, DOMAIN §4). See `isTimelyRenewal`.
    public var isRenewalWithin15Days: Bool

    public init(
        claimType: ClaimType, incidentDate: CalendarDate, admitted: CalendarDate? = nil,
        discharged: CalendarDate? = nil, settlementSheets: [SettlementSheet] = [],
        disabilityRatioBasisPoints: Int? = nil, filingDate: CalendarDate, period: ProtectionPeriod,
        shares: Int, isRenewalWithin15Days: Bool = false
    ) {
        self.claimType = claimType
        self.incidentDate = incidentDate
        self.admitted = admitted
        self.discharged = discharged
        self.settlementSheets = settlementSheets
        self.disabilityRatioBasisPoints = disabilityRatioBasisPoints
        self.filingDate = filingDate
        self.period = period
        self.shares = shares
        self.isRenewalWithin15Days = isRenewalWithin15Days
    }

    /// A hospital stay: the incident date is the admission date.
    public static func hospitalStay(
        admitted: CalendarDate, discharged: CalendarDate,
        settlementSheets: [SettlementSheet], filingDate: CalendarDate,
        period: ProtectionPeriod, shares: Int,
        isRenewalWithin15Days: Bool = false
    ) -> ClaimFacts {
        ClaimFacts(
            claimType: .hospitalization, incidentDate: admitted, admitted: admitted,
            discharged: discharged, settlementSheets: settlementSheets, filingDate: filingDate,
            period: period, shares: shares, isRenewalWithin15Days: isRenewalWithin15Days)
    }

    /// 住院天数 = discharge − admission (01-04 → 01-13 = 9). A same-day stay counts as 1 day,
    /// the usual rule for day admissions, so a daily allowance is never computed on 0 days.
    /// nil without both dates, or when discharge precedes admission (a check refuses that).
    public var days: Int? { ClaimFacts.stayDays(admitted: admitted, discharged: discharged) }

    public static func stayDays(admitted: CalendarDate?, discharged: CalendarDate?) -> Int? {
        guard let admitted, let discharged, admitted <= discharged else { return nil }
        return max(1, admitted.days(until: discharged))
    }

    /// Days since the start of cover: an incident on the start date is day 0. Waiting and
    /// observation periods compare this number with the standard's `waitingDays`/`observationDays`.
    public var dayOfCover: Int { period.start.days(until: incidentDate) }

    /// Whether a new period renews the previous one within 15 days of its end. The previous
    /// cover ends at 24:00 of `previousEnd`; the renewal may start on any of the 15 days after
    /// that (previousEnd + 1 … previousEnd + 16 is day 0 … 15 of the gap), or overlap it.
    public static func isTimelyRenewal(previousEnd: CalendarDate, renewalStart: CalendarDate) -> Bool {
        previousEnd.days(until: renewalStart) <= 16
    }

    /// The last day a claim for `incident` may be filed: the same calendar date two years
    /// later (a 29 February incident → 1 March, as `ProtectionPeriod.oneYear` counts anniversaries).
    public static func filingDeadline(incident: CalendarDate) -> CalendarDate {
        CalendarDate(year: incident.year + 2, month: incident.month, day: incident.day)
            ?? CalendarDate(year: incident.year + 2, month: 3, day: 1)!
    }
}

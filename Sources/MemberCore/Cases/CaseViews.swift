import MutualAidDomain

/// A row of a work pool.
public struct PoolCase: Sendable, Codable, Equatable {
    public var id: String
    @NullWhenAbsent public var caseNumber: String?
    public var state: String
    public var stateText: String
    public var tab: String
    public var claimType: String
    @NullWhenAbsent public var amount: String?
    @NullWhenAbsent public var holder: String?
    public var restricted: Bool
    @NullWhenAbsent public var unit: String?
    @NullWhenAbsent public var insuredName: String?
    @NullWhenAbsent public var idNumber: String?
    @NullWhenAbsent public var acceptedAt: String?
}

/// Filters of a work pool (DOMAIN §6).
public struct PoolFilter: Sendable {
    public var tab: PoolTab?
    public var agency: String?
    public var unit: String?
    public var idNumber: String?
    public var caseNumber: String?
    public var claimType: ClaimType?
    public var acceptedFrom: CalendarDate?
    public var acceptedTo: CalendarDate?
    public var holder: String?

    public init(
        tab: PoolTab? = nil, agency: String? = nil, unit: String? = nil, idNumber: String? = nil,
        caseNumber: String? = nil,
        claimType: ClaimType? = nil, acceptedFrom: CalendarDate? = nil, acceptedTo: CalendarDate? = nil,
        holder: String? = nil
    ) {
        self.tab = tab
        self.agency = agency
        self.unit = unit
        self.idNumber = idNumber
        self.caseNumber = caseNumber
        self.claimType = claimType
        self.acceptedFrom = acceptedFrom
        self.acceptedTo = acceptedTo
        self.holder = holder
    }
}

/// A line of the benefit table in the CLI contract's shape: amounts with two decimals,
/// the ratio as a percent string.
public struct BenefitLineView: Sendable, Codable, Equatable {
    public var standard: String
    public var standardId: String
    public var baseAmount: String
    @NullWhenAbsent public var baseDays: Int?
    public var shares: Int
    public var ratio: String
    public var benefit: String
    @NullWhenAbsent public var note: String?
}

public struct BenefitView: Sendable, Codable, Equatable {
    public var lines: [BenefitLineView]
    public var total: String
    /// True when computed on this device and not yet confirmed by the server.
    public var estimate: Bool

    init(_ table: BenefitTable, estimate: Bool) {
        lines = table.lines.map {
            BenefitLineView(
                standard: $0.standardName, standardId: $0.standardId, baseAmount: $0.baseAmount.description,
                baseDays: $0.baseDays, shares: $0.shares, ratio: $0.ratioText, benefit: $0.benefit.description,
                note: $0.note)
        }
        total = table.total.description
        self.estimate = estimate
    }

    init(lines: [BenefitLineView], total: String, estimate: Bool) {
        self.lines = lines
        self.total = total
        self.estimate = estimate
    }
}

/// The outcome of a staff action: done on the server, or saved here to go with the next sync.
public enum ActionOutcome: String, Sendable, Codable {
    case done, queued
}

import MutualAidDomain

/// A row of a work pool.
public struct PoolCase: Sendable, Codable, Equatable {
    public var id: String
    public var caseNumber: String?
    public var state: String
    public var stateText: String
    public var tab: String
    public var claimType: String
    public var amount: String?
    public var holder: String?
    public var restricted: Bool
    public var unit: String?
    public var insuredName: String?
    public var idNumber: String?
    public var acceptedAt: String?

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(caseNumber, forKey: .caseNumber); try c.encode(state, forKey: .state)
        try c.encode(stateText, forKey: .stateText); try c.encode(tab, forKey: .tab); try c.encode(claimType, forKey: .claimType)
        try c.encode(amount, forKey: .amount); try c.encode(holder, forKey: .holder); try c.encode(restricted, forKey: .restricted)
        try c.encode(unit, forKey: .unit); try c.encode(insuredName, forKey: .insuredName); try c.encode(idNumber, forKey: .idNumber)
        try c.encode(acceptedAt, forKey: .acceptedAt)
    }
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

    public init(tab: PoolTab? = nil, agency: String? = nil, unit: String? = nil, idNumber: String? = nil, caseNumber: String? = nil,
                claimType: ClaimType? = nil, acceptedFrom: CalendarDate? = nil, acceptedTo: CalendarDate? = nil, holder: String? = nil) {
        self.tab = tab; self.agency = agency; self.unit = unit; self.idNumber = idNumber; self.caseNumber = caseNumber
        self.claimType = claimType; self.acceptedFrom = acceptedFrom; self.acceptedTo = acceptedTo; self.holder = holder
    }
}

/// A line of the benefit table in the CLI contract's shape: amounts with two decimals,
/// the ratio as a percent string.
public struct BenefitLineView: Sendable, Codable, Equatable {
    public var standard: String
    public var standardId: String
    public var baseAmount: String
    public var baseDays: Int?
    public var shares: Int
    public var ratio: String
    public var benefit: String
    public var note: String?

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(standard, forKey: .standard); try c.encode(standardId, forKey: .standardId)
        try c.encode(baseAmount, forKey: .baseAmount); try c.encode(baseDays, forKey: .baseDays)
        try c.encode(shares, forKey: .shares); try c.encode(ratio, forKey: .ratio); try c.encode(benefit, forKey: .benefit)
        try c.encode(note, forKey: .note)
    }
}

public struct BenefitView: Sendable, Codable, Equatable {
    public var lines: [BenefitLineView]
    public var total: String
    /// True when computed on this device and not yet confirmed by the server.
    public var estimate: Bool

    init(_ table: BenefitTable, estimate: Bool) {
        lines = table.lines.map {
            BenefitLineView(standard: $0.standardName, standardId: $0.standardId, baseAmount: $0.baseAmount.description,
                            baseDays: $0.baseDays, shares: $0.shares, ratio: $0.ratioText, benefit: $0.benefit.description,
                            note: $0.note)
        }
        total = table.total.description
        self.estimate = estimate
    }

    init(lines: [BenefitLineView], total: String, estimate: Bool) {
        self.lines = lines; self.total = total; self.estimate = estimate
    }
}

/// The outcome of a staff action: done on the server, or saved here to go with the next sync.
public enum ActionOutcome: String, Sendable, Codable {
    case done, queued
}

/// A protection activity (保障活动) of the catalogue, with the claim standards it bundles.
public struct ProtectionActivity: Codable, Hashable, Sendable {
    public var id: String
    public var name: String
    public var subtype: String
    /// Standard fee per share per year (标准会费 元/份).
    public var fee: Money
    /// Lowest acceptable enrolment rate (insured ÷ in-service employees), percent.
    public var minEnrolmentRatePercent: Int
    public var standards: [ClaimStandard]

    public init(
        id: String, name: String, subtype: String, fee: Money, minEnrolmentRatePercent: Int,
        standards: [ClaimStandard]
    ) {
        self.id = id
        self.name = name
        self.subtype = subtype
        self.fee = fee
        self.minEnrolmentRatePercent = minEnrolmentRatePercent
        self.standards = standards
    }
}

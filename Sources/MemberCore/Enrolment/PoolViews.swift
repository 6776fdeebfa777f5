import MutualAidDomain

/// A row of an enrolment step's work pool (参保初审 … 确认书归档), as the manual's list shows it.
public struct PoolApplication: Sendable, Codable, Equatable {
    public var id: String
    public var state: String
    public var stateText: String
    public var tab: String
    @NullWhenAbsent public var unitId: String?
    @NullWhenAbsent public var unit: String?
    @NullWhenAbsent public var agencyId: String?
    @NullWhenAbsent public var agency: String?
    /// 参保人次 over all the application's activities.
    public var insured: Int
    /// 会费 over all activities, yuan.
    public var fee: String
    @NullWhenAbsent public var applicationDate: String?
    @NullWhenAbsent public var letterNumber: String?
    @NullWhenAbsent public var holder: String?
    @NullWhenAbsent public var holderName: String?
}

/// A row of the unit registration review pool (注册审核).
public struct PoolRegistration: Sendable, Codable, Equatable {
    public var id: String
    public var state: String
    public var stateText: String
    public var tab: String
    public var name: String
    public var code: String
    @NullWhenAbsent public var nature: String?
    @NullWhenAbsent public var agencyId: String?
    @NullWhenAbsent public var agency: String?
    @NullWhenAbsent public var contactName: String?
    @NullWhenAbsent public var officePhone: String?
    @NullWhenAbsent public var mobile: String?
    @NullWhenAbsent public var submittedAt: String?
    @NullWhenAbsent public var holder: String?
    @NullWhenAbsent public var holderName: String?
}

/// 活动管理 and 申领材料 (the office): activities, their claim standards and the material
/// checklists. Every client receives the result with the catalogue at its next sync.

/// `POST /v1/catalogue/activities`: a new protection activity. Its fee never changes afterwards
/// (applications already priced with it stay right); a new year's fee is a new activity.
public struct NewActivityRequest: Codable, Sendable {
    public var id: String
    public var name: String
    public var subtype: String
    /// Yuan per share per year, e.g. "30.00".
    public var fee: String
    public var minEnrolmentRatePercent: Int
    public init(id: String, name: String, subtype: String, fee: String, minEnrolmentRatePercent: Int) {
        self.id = id
        self.name = name
        self.subtype = subtype
        self.fee = fee
        self.minEnrolmentRatePercent = minEnrolmentRatePercent
    }
}

/// `PATCH /v1/catalogue/activities/{id}`: what may change of an activity in use.
public struct ActivityChangeRequest: Codable, Sendable {
    public var name: String?
    public var subtype: String?
    public var minEnrolmentRatePercent: Int?
    public init(name: String?, subtype: String?, minEnrolmentRatePercent: Int?) {
        self.name = name
        self.subtype = subtype
        self.minEnrolmentRatePercent = minEnrolmentRatePercent
    }
}

/// `POST /v1/catalogue/activities/{id}/standards`: a new claim standard of an activity. Later
/// changes of its rule go through versions (`StandardVersionRequest`).
public struct NewStandardRequest: Codable, Sendable {
    public var id: String
    public var claimType: String
    public var name: String
    /// medical-ratio, daily-allowance, fixed or disability-ratio.
    public var method: String
    public var ratioBp: Int?
    public var amount: String?
    public var cap: String?
    public var waitingDays: Int?
    public var observationDays: Int?
    public var consolation: String?
    public init(
        id: String, claimType: String, name: String, method: String, ratioBp: Int?, amount: String?, cap: String?,
        waitingDays: Int?, observationDays: Int?, consolation: String?
    ) {
        self.id = id
        self.claimType = claimType
        self.name = name
        self.method = method
        self.ratioBp = ratioBp
        self.amount = amount
        self.cap = cap
        self.waitingDays = waitingDays
        self.observationDays = observationDays
        self.consolation = consolation
    }
}

/// `PUT /v1/catalogue/materials/{claimType}/{item}`: a line of a claim type's checklist, added
/// or changed.
public struct MaterialItemRequest: Codable, Sendable {
    public var name: String
    public var required: Bool
    public var maxCount: Int
    /// Where the line stands in the list; a new line goes last when absent.
    public var sortOrder: Int?
    public init(name: String, required: Bool, maxCount: Int, sortOrder: Int?) {
        self.name = name
        self.required = required
        self.maxCount = maxCount
        self.sortOrder = sortOrder
    }
}

/// `PUT /v1/catalogue/grades/{grade}`: a row of the disability grade table (伤残等级表).
public struct DisabilityGradeRequest: Codable, Sendable {
    public var name: String
    /// Basis points: 4000 = 40.00%.
    public var ratioBp: Int
    public init(name: String, ratioBp: Int) {
        self.name = name
        self.ratioBp = ratioBp
    }
}

/// The answer to every catalogue change: the id of what was written.
public struct CatalogueChangeResponse: Codable, Sendable {
    public var id: String
    public init(id: String) { self.id = id }
}

import Foundation

/// A claim as the member fills it in (快速申领), read from its synced fields.
public struct ClaimDraft: Sendable, Equatable {
    public var claimType: ClaimType?
    public var enrolmentId: String?
    public var standardIds: [String]
    public var admitted: CalendarDate?
    public var discharged: CalendarDate?
    public var incidentDate: CalendarDate?
    public var hospital: String?
    public var diagnosis: String?
    public var payeeRelation: String?
    public var payeeName: String?
    public var payeeMobile: String?
    public var payeeBankAccount: String?
    public var payeeBankName: String?

    public init(fields: FieldMap) {
        func text(_ k: String) -> String? { fields[k]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
        claimType = text("claimType").flatMap(ClaimType.init(rawValue:))
        enrolmentId = text("enrolmentId")
        standardIds =
            text("standardIds").flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        admitted = text("admitted").flatMap(CalendarDate.init)
        discharged = text("discharged").flatMap(CalendarDate.init)
        incidentDate = text("incidentDate").flatMap(CalendarDate.init)
        hospital = text("hospital")
        diagnosis = text("diagnosis")
        payeeRelation = text("payeeRelation")
        payeeName = text("payeeName")
        payeeMobile = text("payeeMobile")
        payeeBankAccount = text("payeeBankAccount")
        payeeBankName = text("payeeBankName")
    }

    /// The date the protection period and the two-year limit are measured from.
    public var eventDate: CalendarDate? { claimType?.isHospitalStay == true ? admitted : incidentDate }

    /// Days in hospital: discharge − admission (01-04 → 01-13 is 9), as the calculation counts them.
    public var days: Int? { ClaimFacts.stayDays(admitted: admitted, discharged: discharged) }

    public static func encodeStandardIds(_ ids: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(ids)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

/// One line of the material checklist of a claim type (catalogue data).
public struct MaterialRequirement: Sendable, Equatable, Codable {
    public var item: String
    public var name: String
    public var required: Bool
    public var maxCount: Int

    public init(item: String, name: String, required: Bool, maxCount: Int) {
        self.item = item
        self.name = name
        self.required = required
        self.maxCount = maxCount
    }
}

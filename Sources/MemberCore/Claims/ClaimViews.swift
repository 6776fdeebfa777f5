import Foundation
import MutualAidDomain

/// What `enrolments` shows: one enrolment record with the claim standards it offers.
public struct EnrolmentView: Sendable, Codable, Equatable {
    public struct Standard: Sendable, Codable, Equatable {
        public var id: String
        public var claimType: String
        public var name: String
    }
    public var id: String
    public var unit: String
    public var insuredName: String
    public var relation: String
    /// First 6 and last 4 characters only.
    public var idNumber: String
    public var activity: String
    public var activityId: String
    public var periodStart: String
    public var periodEnd: String
    public var shares: Int
    public var fee: String
    public var renewal: Bool
    public var standards: [Standard]
}

/// One line of a claim's material checklist.
public struct MaterialChecklistLine: Sendable, Codable, Equatable {
    public var item: String
    public var name: String
    public var required: Bool
    public var max: Int
    public var count: Int
}

public struct MaterialView: Sendable, Codable, Equatable {
    public var id: String
    public var item: String
    public var sha256: String
    public var bytes: Int
    public var contentType: String
    /// The server holds the whole file and has checked its hash.
    public var uploaded: Bool
}

public struct TrailView: Sendable, Codable, Equatable {
    public var step: String
    public var state: String
    public var stateText: String
    public var note: String?
    public var `operator`: String
    public var at: String
}

public struct ClaimView: Sendable, Codable, Equatable {
    public var id: String
    public var caseNumber: String?
    /// A code: draft, pending-sync, awaiting-acceptance, or the server's workflow state.
    public var state: String
    public var stateText: String
    public var claimType: String
    public var claimTypeText: String
    public var standards: [String]
    public var enrolmentId: String?
    public var admitted: String?
    public var discharged: String?
    public var days: Int?
    public var incidentDate: String?
    public var hospital: String?
    public var diagnosis: String?
    public var note: String?
    public var payee: Payee
    public var amount: String?
    public var source: String?
    public var createdAt: String?
    public var supplementItems: [String]
    public var materials: [MaterialView]
    public var trail: [TrailView]
    // The workflow, for staff and for the member following the case.
    public var holder: String?
    public var restricted: Bool
    public var archiveNumber: String?
    public var paymentReference: String?
    public var linkedCase: String?
    public var settlementSheets: Int
    public var benefit: BenefitView?

    public struct Payee: Sendable, Codable, Equatable {
        public var relation: String?
        public var name: String?
        public var mobile: String?
        public var bankAccount: String?
        public var bankName: String?
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(caseNumber, forKey: .caseNumber)
        try c.encode(state, forKey: .state); try c.encode(stateText, forKey: .stateText)
        try c.encode(claimType, forKey: .claimType); try c.encode(claimTypeText, forKey: .claimTypeText)
        try c.encode(standards, forKey: .standards); try c.encode(enrolmentId, forKey: .enrolmentId)
        try c.encode(admitted, forKey: .admitted); try c.encode(discharged, forKey: .discharged)
        try c.encode(days, forKey: .days); try c.encode(incidentDate, forKey: .incidentDate)
        try c.encode(hospital, forKey: .hospital); try c.encode(diagnosis, forKey: .diagnosis)
        try c.encode(note, forKey: .note); try c.encode(payee, forKey: .payee); try c.encode(amount, forKey: .amount)
        try c.encode(source, forKey: .source); try c.encode(createdAt, forKey: .createdAt)
        try c.encode(supplementItems, forKey: .supplementItems)
        try c.encode(materials, forKey: .materials); try c.encode(trail, forKey: .trail)
        try c.encode(holder, forKey: .holder); try c.encode(restricted, forKey: .restricted)
        try c.encode(archiveNumber, forKey: .archiveNumber); try c.encode(paymentReference, forKey: .paymentReference)
        try c.encode(linkedCase, forKey: .linkedCase); try c.encode(settlementSheets, forKey: .settlementSheets)
        try c.encode(benefit, forKey: .benefit)
    }
}

/// Chinese names of claim states, including the ones only the client knows.
public enum ClaimStateText {
    public static func text(_ state: String) -> String {
        switch state {
        case "draft": "草稿"
        case "pending-sync": "待同步"
        case "awaiting-acceptance": "待受理"
        case "supplement-pending-sync": "补材待同步"
        default: CaseState(rawValue: state)?.chineseName ?? state
        }
    }
}

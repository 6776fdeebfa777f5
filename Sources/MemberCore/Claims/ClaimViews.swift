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
    @NullWhenAbsent public var caseNumber: String?
    /// A code: draft, pending-sync, awaiting-acceptance, or the server's workflow state.
    public var state: String
    public var stateText: String
    public var claimType: String
    public var claimTypeText: String
    public var standards: [String]
    @NullWhenAbsent public var enrolmentId: String?
    @NullWhenAbsent public var admitted: String?
    @NullWhenAbsent public var discharged: String?
    @NullWhenAbsent public var days: Int?
    @NullWhenAbsent public var incidentDate: String?
    @NullWhenAbsent public var hospital: String?
    @NullWhenAbsent public var diagnosis: String?
    @NullWhenAbsent public var note: String?
    public var payee: Payee
    @NullWhenAbsent public var amount: String?
    @NullWhenAbsent public var source: String?
    @NullWhenAbsent public var createdAt: String?
    public var supplementItems: [String]
    public var materials: [MaterialView]
    public var trail: [TrailView]
    // The workflow, for staff and for the member following the case.
    @NullWhenAbsent public var holder: String?
    public var restricted: Bool
    @NullWhenAbsent public var archiveNumber: String?
    @NullWhenAbsent public var paymentReference: String?
    /// The bank's reason while a failed payment waits for a card change.
    @NullWhenAbsent public var paymentFailure: String?
    @NullWhenAbsent public var linkedCase: String?
    public var settlementSheets: Int
    @NullWhenAbsent public var benefit: BenefitView?

    public struct Payee: Sendable, Codable, Equatable {
        public var relation: String?
        public var name: String?
        public var mobile: String?
        public var bankAccount: String?
        public var bankName: String?
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

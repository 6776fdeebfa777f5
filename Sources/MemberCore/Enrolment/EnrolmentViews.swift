import Foundation
import MutualAidDomain

/// An activity of the catalogue (`catalogue --json`: id, name, fee per share).
public struct ActivityView: Codable, Sendable {
    public var id: String
    public var name: String
    public var subtype: String
    public var fee: String
    public var minEnrolmentRatePct: Int
    public var standards: [StandardLine]

    /// A claim standard as the catalogue lists it (its base rule; dated versions apply by date).
    public struct StandardLine: Codable, Sendable {
        public var id: String
        public var claimType: String
        public var name: String
        public var method: String
        @NullWhenAbsent public var ratioBp: Int?
        @NullWhenAbsent public var amount: String?
        @NullWhenAbsent public var cap: String?
    }
}

/// An enrolment application as the clerk, the reviewers and finance see it.
public struct EnrolmentApplicationView: Codable, Sendable {
    public struct Line: Codable, Sendable {
        public var activityId: String
        public var activityName: String
        public var shares: Int
        public var listed: Int
    }
    public struct ImportRecord: Codable, Sendable {
        public var id: String
        public var activityId: String
        public var fileName: String
        public var total: Int
        public var succeeded: Int
        public var failedCount: Int
        public var importedAt: String
    }
    public struct TrailEntry: Codable, Sendable {
        public var step: String
        public var state: String
        public var note: String?
        public var operatorName: String
        public var at: String
    }
    public struct Fees: Codable, Sendable {
        public var activityId: String
        public var activityName: String
        public var total: String
        public var subsidy: String
        public var gift: String
        public var payable: String
        public var invoiced: String
        public var remaining: String
        public var split: FeeSplit?
        public var invoices: [Invoice]
    }

    public var id: String
    /// Set on a change application (增减员): the confirmed application it changes.
    @NullWhenAbsent public var originalId: String?
    public var state: String
    public var stateName: String
    public var unitId: String
    public var unitName: String?
    public var agencyName: String?
    public var newEmployment: Bool
    public var employees: Int
    public var women: Int
    public var highRisk: Int
    public var applicationDate: String?
    public var lines: [Line]
    /// The server's summary once submitted; before that, computed here from the local lists.
    public var summary: [ActivitySummary]
    public var feeTotal: String
    public var checks: [AutoCheck]
    public var fees: [Fees]
    public var fixedEffectiveDate: String?
    public var periodStart: String?
    public var periodEnd: String?
    public var letterNumber: String?
    public var printCount: Int
    public var imports: [ImportRecord]
    public var trail: [TrailEntry]
    /// Local changes of this application not yet accepted by the server.
    public var pendingChanges: Int
}

/// `enrolment import --json`: total, succeeded and every failed row with its reason.
public struct ImportResult: Codable, Sendable {
    public var id: String
    public var total: Int
    public var succeeded: Int
    public var failed: [PersonListRules.Failure]
    /// Where the failed rows were written back, when asked.
    public var failedFile: String?
}

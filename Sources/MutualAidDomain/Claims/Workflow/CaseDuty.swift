/// Who may do what on a case (DOMAIN §1, §5): each state has one duty, and only its holders act.
enum CaseDuty: Equatable {
    case accept, costEntry, firstReview, secondReview, officeReview, finalReview, specialReview
    case archive, pushBelowThreshold, pushAtThreshold, pay, cardChange, resubmit, cancel

    /// The duty of whoever works a case in `state`, or nil when nobody does.
    static func of(_ state: CaseState, amount: Money?) -> CaseDuty? {
        switch state {
        case .draft: .accept
        case .accepted: .costEntry
        case .firstReview: .firstReview
        case .secondReview: .secondReview
        case .officeReview: .officeReview
        case .finalReview: .finalReview
        case .expertReview, .investigation: .specialReview
        case .supplementRequested: .resubmit
        case .pendingArchive: .archive
        case .pendingPush:
            amount.map(CaseWorkflow.needsOfficeReview(amount:)) == true ? .pushAtThreshold : .pushBelowThreshold
        case .pendingPayment: .pay
        case .paymentFailed: .cardChange
        case .suspended, .closed, .rejected, .cancelled: nil
        }
    }

    func isHeld(by actor: CaseActor) -> Bool {
        let agent = actor.role == .agent && (actor.level == .county || actor.level == .city)
        let unitClerk = actor.role == .unit && actor.level == .unit
        let cityAgent = actor.role == .agent && actor.level == .city
        let office = actor.role == .office && actor.level == .office
        switch self {
        case .accept: return agent || unitClerk
        case .costEntry: return (agent || unitClerk) && actor.acceptedCase
        case .firstReview: return agent && actor.acceptedCase
        case .secondReview, .pushBelowThreshold: return cityAgent
        case .officeReview, .pushAtThreshold: return office
        case .finalReview: return actor.role == .office && (actor.level == .office || actor.level == .association)
        case .specialReview: return cityAgent || office
        case .archive: return agent
        case .pay: return actor.role == .finance && (actor.level == .office || actor.level == .association)
        case .cardChange:
            return actor.role == .agent || actor.role == .office || actor.role == .finance
        case .resubmit:
            return (actor.role == .member && actor.level == .member) || ((agent || unitClerk) && actor.acceptedCase)
        case .cancel: return (agent && actor.acceptedCase) || office
        }
    }

    /// Says who holds the duty, for refusal messages.
    var holders: String {
        switch self {
        case .accept: "基层单位经办人或县级、市级代办机构"
        case .costEntry: "受理本案件的单位或代办机构"
        case .firstReview: "受理本案件的县级或市级代办机构"
        case .secondReview: "市级代办机构"
        case .officeReview: "办事处审核人"
        case .finalReview: "办事处或互助会审核人"
        case .specialReview: "市级代办机构或办事处审核人"
        case .archive: "县级或市级代办机构"
        case .pushBelowThreshold: "市级代办机构（2000元以下案件）"
        case .pushAtThreshold: "办事处审核人（2000元及以上案件）"
        case .pay: "办事处或互助会财务"
        case .cardChange: "代办机构、办事处或财务"
        case .resubmit: "申领会员、受理本案件的单位或代办机构"
        case .cancel: "受理本案件的代办机构或办事处"
        }
    }
}

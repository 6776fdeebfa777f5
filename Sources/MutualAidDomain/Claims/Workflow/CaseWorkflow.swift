/// The claim case state machine (DOMAIN §5, §6) as a pure function: given a case, an action
/// and an actor, either the transition or the rule that forbids it.
///
/// Order of refusal: outside the actor's subtree (nothing else is revealed), then an action
/// the current state does not allow, then an actor without the duty, then missing data.
public enum CaseWorkflow {
    /// Cases of this amount and more are reviewed by the office after second review and pushed by it.
    public static let officeReviewThreshold = Money(cents: 200_000)
    /// Longest note on any step (the review forms count 0/1000).
    public static let noteLimit = 1000

    /// Whether a case of this amount goes to office review after second review (2000.00 yuan and more).
    public static func needsOfficeReview(amount: Money) -> Bool { amount >= officeReviewThreshold }

    public static func apply(
        _ action: CaseAction, to snapshot: CaseSnapshot,
        by actor: CaseActor
    ) throws(RuleViolation) -> Transition {
        guard actor.caseInSubtree else {
            throw RuleViolation(field: "actor", message: "案件不在您的管辖范围内，不能执行「\(action.chineseName)」")
        }
        let from = snapshot.state
        var next = snapshot
        func allowedOnlyIn(_ ok: Bool) throws(RuleViolation) {
            guard ok else { throw illegal(action, in: from) }
        }
        func authorise(_ state: CaseState) throws(RuleViolation) {
            guard let duty = CaseDuty.of(state, amount: snapshot.amount) else { throw illegal(action, in: from) }
            guard duty.isHeld(by: actor) else {
                throw RuleViolation(
                    field: "actor",
                    message: "「\(from.chineseName)」状态下的「\(action.chineseName)」只能由\(duty.holders)办理")
            }
        }

        switch action {
        case .acceptCase:
            try allowedOnlyIn(from == .draft)
            try authorise(from)
            next.state = .accepted
        case .submitCosts:
            try allowedOnlyIn(from == .accepted)
            try authorise(from)
            _ = try requireAmount(snapshot, for: action)
            next.state = .firstReview
        case .review(let decision, _):
            try allowedOnlyIn(from.isReview)
            try authorise(from)
            try checkNote(action, required: decision != .pass)
            try conclude(decision, snapshot: snapshot, into: &next, action: action)
        case .routeToExpert, .routeToInvestigation, .requestFinalReview:
            try allowedOnlyIn(from == .secondReview || from == .officeReview)
            try authorise(from)
            try checkNote(action, required: false)
            next.detourFrom = from
            next.state =
                switch action {
                case .routeToExpert: .expertReview
                case .routeToInvestigation: .investigation
                default: .finalReview
                }
        case .suspend:
            try allowedOnlyIn(from.isReview)
            try authorise(from)
            try checkNote(action, required: true)
            next.suspendedFrom = from
            next.state = .suspended
        case .resume:
            try allowedOnlyIn(from == .suspended)
            guard let origin = snapshot.suspendedFrom else { throw missingMemory(action) }
            try authorise(origin)
            next.state = origin
            next.suspendedFrom = nil
        case .requestSupplement:
            try allowedOnlyIn(from.isReview)
            try authorise(from)
            try checkNote(action, required: true)
            next.supplementFrom = from
            next.state = .supplementRequested
        case .resubmit:
            try allowedOnlyIn(from == .supplementRequested)
            guard let origin = snapshot.supplementFrom else { throw missingMemory(action) }
            try authorise(from)
            next.state = origin
            next.supplementFrom = nil
        case .archive:
            try allowedOnlyIn(from == .pendingArchive)
            try authorise(from)
            try checkNote(action, required: false)
            next.state = .pendingPush
        case .push:
            try allowedOnlyIn(from == .pendingPush)
            let amount = try requireAmount(snapshot, for: action)
            // Checked before the duty so a city agent learns why, not only that the office pushes.
            guard !needsOfficeReview(amount: amount) || snapshot.officeReviewed else {
                throw RuleViolation(field: "officeReviewed", message: "金额2000元及以上的案件须经办事处审核后方可推送")
            }
            try authorise(from)
            next.state = .pendingPayment
        case .pay:
            try allowedOnlyIn(from == .pendingPayment)
            try authorise(from)
            next.state = .closed
        case .paymentFailed(let reason):
            try allowedOnlyIn(from == .pendingPayment)
            try authorise(from)
            try checkFailureReason(reason)
            next.state = .paymentFailed
        case .cancel:
            // Possible until the case is pushed to finance; a draft is simply discarded.
            try allowedOnlyIn(
                !from.isTerminal && from != .draft && from != .pendingPayment && from != .paymentFailed)
            guard CaseDuty.cancel.isHeld(by: actor) else {
                throw RuleViolation(field: "actor", message: "「\(action.chineseName)」只能由\(CaseDuty.cancel.holders)办理")
            }
            try checkNote(action, required: true)
            next.state = .cancelled
            next.suspendedFrom = nil
            next.supplementFrom = nil
            next.detourFrom = nil
        }
        let step = if case .review = action { from.chineseName } else { action.chineseName }
        return Transition(from: from, to: next.state, step: step, action: action, note: action.note, snapshot: next)
    }

    /// Pass / fail / back in a review state.
    static func conclude(
        _ decision: ReviewDecision, snapshot: CaseSnapshot, into next: inout CaseSnapshot,
        action: CaseAction
    ) throws(RuleViolation) {
        let from = snapshot.state
        let detour = from == .finalReview || from == .expertReview || from == .investigation
        if detour { next.detourFrom = nil }
        switch decision {
        case .fail:
            next.state = .rejected
        case .back:
            switch from {
            case .firstReview: next.state = .accepted
            case .secondReview: next.state = .firstReview
            case .officeReview: next.state = .secondReview
            default:
                guard let origin = snapshot.detourFrom else { throw missingMemory(action) }
                next.state = origin
            }
        case .pass:
            switch from {
            case .firstReview:
                _ = try requireAmount(snapshot, for: action)
                next.state = .secondReview
            case .officeReview:
                next.officeReviewed = true
                next.state = .pendingArchive
            case .secondReview, .finalReview:
                let amount = try requireAmount(snapshot, for: action)
                // A final review the office itself asked for concludes its office review too.
                if snapshot.detourFrom == .officeReview { next.officeReviewed = true }
                next.state = needsOfficeReview(amount: amount) && !next.officeReviewed ? .officeReview : .pendingArchive
            default:
                // Expert review and investigation advise; the review that asked for them concludes.
                guard let origin = snapshot.detourFrom else { throw missingMemory(action) }
                next.state = origin
            }
        }
    }

    static func requireAmount(_ snapshot: CaseSnapshot, for action: CaseAction) throws(RuleViolation) -> Money {
        guard let amount = snapshot.amount else {
            throw RuleViolation(field: "amount", message: "尚未完成申领计算，不能执行「\(action.chineseName)」")
        }
        return amount
    }

    static func checkNote(_ action: CaseAction, required: Bool) throws(RuleViolation) {
        let note = action.note ?? ""
        if required && note.allSatisfy(\.isWhitespace) {
            throw RuleViolation(field: "note", message: "「\(action.chineseName)」须填写意见备注")
        }
        guard TextLimit.fits(note, characters: noteLimit) else {
            throw RuleViolation(field: "note", message: "意见备注不能超过\(noteLimit)个字")
        }
    }

    static func illegal(_ action: CaseAction, in state: CaseState) -> RuleViolation {
        RuleViolation(field: "state", message: "案件当前状态为「\(state.chineseName)」，不能执行「\(action.chineseName)」")
    }

    static func missingMemory(_ action: CaseAction) -> RuleViolation {
        RuleViolation(field: "state", message: "案件缺少应返回的处理环节，不能执行「\(action.chineseName)」，请联系管理员")
    }
}

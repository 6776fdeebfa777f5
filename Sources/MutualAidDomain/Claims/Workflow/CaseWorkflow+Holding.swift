extension CaseWorkflow {
    /// Whether the actor has the duty of the case's current step, so may acquire it from the
    /// work pool. Suspended and finished cases have no duty.
    public static func canHandle(_ snapshot: CaseSnapshot, by actor: CaseActor) -> Bool {
        guard actor.caseInSubtree else { return false }
        let state = snapshot.state == .suspended ? snapshot.suspendedFrom : snapshot.state
        guard let state, let duty = CaseDuty.of(state, amount: snapshot.amount) else { return false }
        return duty.isHeld(by: actor)
    }

    /// Actions done on an acquired case only: the holder's own step work.
    public static func requiresHolding(_ action: CaseAction) -> Bool {
        switch action {
        case .submitCosts, .review, .routeToExpert, .routeToInvestigation, .requestFinalReview, .suspend,
            .requestSupplement, .archive, .cancel:
            true
        case .acceptCase, .resume, .resubmit, .push, .pay, .paymentFailed:
            false
        }
    }
}

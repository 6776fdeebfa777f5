import MutualAidDomain
import Testing

private func m(_ text: String) -> Money { Money(text)! }

/// Asserts that the action is refused for `field`; returns the message for closer checks.
@discardableResult
private func expectRefused(
    _ action: CaseAction, _ snapshot: CaseSnapshot, by actor: CaseActor, field: String,
    sourceLocation: SourceLocation = #_sourceLocation
) -> String {
    do {
        let t = try CaseWorkflow.apply(action, to: snapshot, by: actor)
        Issue.record("expected a refusal, got \(t.from) → \(t.to)", sourceLocation: sourceLocation)
        return ""
    } catch {
        #expect(error.field == field, "\(error.message)", sourceLocation: sourceLocation)
        return error.message
    }
}

private func at(
    _ state: CaseState, _ amount: String? = "79.00", source: CaseSource = .office,
    officeReviewed: Bool = false
) -> CaseSnapshot {
    CaseSnapshot(state: state, amount: amount.flatMap(Money.init), source: source, officeReviewed: officeReviewed)
}

@Suite struct CaseWorkflowRefusalTests {
    typealias A = WorkflowActors

    @Test func illegalTransitionsNameTheStateAndTheAction() {
        let message = expectRefused(.push, at(.secondReview), by: A.city, field: "state")
        #expect(message == "案件当前状态为「申领复审」，不能执行「申领推送」")
        expectRefused(.pay(reference: "ZF-001"), at(.pendingPush), by: A.finance, field: "state")
        expectRefused(
            .archive(number: "GD-001", mode: .online, note: nil), at(.firstReview), by: A.county, field: "state")
        expectRefused(.acceptCase, at(.accepted), by: A.county, field: "state")
        expectRefused(.submitCosts, at(.firstReview), by: A.county, field: "state")
        expectRefused(.resume, at(.firstReview), by: A.county, field: "state")
        expectRefused(.resubmit, at(.firstReview), by: A.member, field: "state")
        expectRefused(.routeToExpert(note: nil), at(.firstReview), by: A.county, field: "state")
        expectRefused(.suspend(note: "x"), at(.pendingArchive), by: A.county, field: "state")
        expectRefused(.cancel(note: "x"), at(.pendingPayment), by: A.office, field: "state")
    }

    @Test func terminalStatesAllowNothing() {
        let actions: [CaseAction] = [
            .acceptCase, .submitCosts, .review(decision: .pass, note: nil), .resume, .resubmit,
            .archive(number: "GD-001", mode: .online, note: nil), .push, .pay(reference: "ZF-001"), .cancel(note: "x"),
            .suspend(note: "x"),
        ]
        for state in [CaseState.closed, .rejected, .cancelled] {
            for action in actions { expectRefused(action, at(state), by: A.office, field: "state") }
        }
    }

    @Test func pushAtThresholdNeedsOfficeReview() {
        let message = expectRefused(.push, at(.pendingPush, "2000.00"), by: A.office, field: "officeReviewed")
        #expect(message.contains("办事处审核"))
        expectRefused(.push, at(.pendingPush, "2000.00"), by: A.city, field: "officeReviewed")
        // Reviewed: only the office pushes it, not the city.
        expectRefused(.push, at(.pendingPush, "2000.00", officeReviewed: true), by: A.city, field: "actor")
        // Below the threshold the city pushes, the office does not.
        #expect(throws: Never.self) { try CaseWorkflow.apply(.push, to: at(.pendingPush, "1999.99"), by: A.city) }
        expectRefused(.push, at(.pendingPush, "1999.99"), by: A.office, field: "actor")
        expectRefused(.push, at(.pendingPush, nil), by: A.city, field: "amount")
    }

    @Test func unitClerksOnlyAcceptAndEnterCosts() {
        expectRefused(.review(decision: .pass, note: nil), at(.firstReview), by: A.unit, field: "actor")
        expectRefused(
            .archive(number: "GD-001", mode: .online, note: nil), at(.pendingArchive), by: A.unit, field: "actor")
        expectRefused(.push, at(.pendingPush), by: A.unit, field: "actor")
        expectRefused(.cancel(note: "撤回"), at(.firstReview), by: A.unit, field: "actor")
        expectRefused(.requestSupplement(items: ["invoice"], note: "补材"), at(.firstReview), by: A.unit, field: "actor")
    }

    @Test func membersOnlyResubmit() {
        expectRefused(.acceptCase, at(.draft), by: A.member, field: "actor")
        expectRefused(.review(decision: .pass, note: nil), at(.firstReview), by: A.member, field: "actor")
        expectRefused(.cancel(note: "不想申请了"), at(.firstReview), by: A.member, field: "actor")
        let waiting = CaseSnapshot(
            state: .supplementRequested, amount: m("79"), source: .memberApp,
            supplementFrom: .firstReview)
        #expect(throws: Never.self) { try CaseWorkflow.apply(.resubmit, to: waiting, by: A.member) }
    }

    @Test func firstReviewIsForTheAgencyThatAccepted() {
        let other = CaseActor(role: .agent, level: .county, acceptedCase: false)
        let message = expectRefused(.review(decision: .pass, note: nil), at(.firstReview), by: other, field: "actor")
        #expect(message.contains("受理本案件"))
        expectRefused(.submitCosts, at(.accepted), by: other, field: "actor")
        let cityThatAccepted = CaseActor(role: .agent, level: .city, acceptedCase: true)
        #expect(throws: Never.self) {
            try CaseWorkflow.apply(.review(decision: .pass, note: nil), to: at(.firstReview), by: cityThatAccepted)
        }
    }

    @Test func levelsAreChecked() {
        expectRefused(.review(decision: .pass, note: nil), at(.secondReview), by: A.county, field: "actor")
        expectRefused(.review(decision: .pass, note: nil), at(.officeReview, "3000"), by: A.city, field: "actor")
        expectRefused(.pay(reference: "ZF-001"), at(.pendingPayment), by: A.office, field: "actor")
        expectRefused(
            .pay(reference: "ZF-001"), at(.pendingPayment), by: CaseActor(role: .finance, level: .city), field: "actor")
        expectRefused(.requestFinalReview(note: nil), at(.secondReview), by: A.county, field: "actor")
        expectRefused(
            .resume, CaseSnapshot(state: .suspended, amount: m("1"), source: .office, suspendedFrom: .secondReview),
            by: A.county, field: "actor")
    }

    @Test func actorsOutsideTheSubtreeAreRefusedFirst() {
        var outsider = A.city
        outsider.caseInSubtree = false
        let message = expectRefused(.push, at(.secondReview), by: outsider, field: "actor")
        #expect(message == "案件不在您的管辖范围内，不能执行「申领推送」")
        var stranger = A.member
        stranger.caseInSubtree = false
        expectRefused(
            .resubmit, CaseSnapshot(state: .supplementRequested, source: .memberApp, supplementFrom: .firstReview),
            by: stranger, field: "actor")
    }

    @Test func notesAreLimitedAndSometimesRequired() {
        let long = String(repeating: "意", count: 1001)
        let message = expectRefused(.review(decision: .pass, note: long), at(.firstReview), by: A.county, field: "note")
        #expect(message == "意见备注不能超过1000个字")
        #expect(throws: Never.self) {
            try CaseWorkflow.apply(
                .review(decision: .pass, note: String(repeating: "意", count: 1000)),
                to: at(.firstReview), by: A.county)
        }
        expectRefused(.review(decision: .fail, note: nil), at(.firstReview), by: A.county, field: "note")
        expectRefused(.review(decision: .back, note: "  "), at(.secondReview), by: A.city, field: "note")
        expectRefused(.requestSupplement(items: ["invoice"], note: ""), at(.firstReview), by: A.county, field: "note")
        expectRefused(.suspend(note: ""), at(.firstReview), by: A.county, field: "note")
        expectRefused(.cancel(note: ""), at(.firstReview), by: A.county, field: "note")
    }

    @Test func reviewsNeedACalculatedAmount() {
        expectRefused(.review(decision: .pass, note: nil), at(.firstReview, nil), by: A.county, field: "amount")
        expectRefused(.review(decision: .pass, note: nil), at(.secondReview, nil), by: A.city, field: "amount")
        expectRefused(.submitCosts, at(.accepted, nil), by: A.county, field: "amount")
        // Failing needs no amount: a claim may be refused before any calculation.
        #expect(throws: Never.self) {
            try CaseWorkflow.apply(.review(decision: .fail, note: "不属于保障责任"), to: at(.firstReview, nil), by: A.county)
        }
    }

    @Test func inconsistentSnapshotsAreReported() {
        expectRefused(.resume, at(.suspended), by: A.city, field: "state")
        expectRefused(.resubmit, at(.supplementRequested), by: A.member, field: "state")
        expectRefused(.review(decision: .pass, note: nil), at(.expertReview), by: A.office, field: "state")
    }
}

import MutualAidDomain
import Testing

private func m(_ text: String) -> Money { Money(text)! }

@Suite struct CaseWorkflowPathTests {
    @Test func memberClaimBelowThreshold() throws {
        let start = CaseSnapshot.new(source: .memberApp, amount: m("79.00"))
        #expect(start.state == .firstReview)
        let trail = try runWorkflow(
            start,
            [
                (passReview, WorkflowActors.county), (passReview, WorkflowActors.city),
                (.archive(number: "GD-001", mode: .online, note: "GD-001"), WorkflowActors.county),
                (.push, WorkflowActors.city), (.pay(reference: "ZF-001"), WorkflowActors.finance),
            ])
        #expect(trail.map(\.to) == [.secondReview, .pendingArchive, .pendingPush, .pendingPayment, .closed])
        #expect(trail.map(\.step) == ["申领初审", "申领复审", "材料归档", "申领推送", "支付结案"])
        #expect(trail[2].note == "GD-001")
    }

    @Test func agentAcceptedClaim() throws {
        let trail = try runWorkflow(
            .new(source: .office, amount: m("79.00")),
            [
                (.acceptCase, WorkflowActors.county), (.submitCosts, WorkflowActors.county),
                (passReview, WorkflowActors.county),
                (passReview, WorkflowActors.city),
                (.archive(number: "GD-001", mode: .online, note: nil), WorkflowActors.county),
                (.push, WorkflowActors.city),
                (.pay(reference: "ZF-001"), WorkflowActors.finance),
            ])
        #expect(
            trail.map(\.from) == [
                .draft, .accepted, .firstReview, .secondReview, .pendingArchive,
                .pendingPush, .pendingPayment,
            ])
        #expect(trail.last?.to == .closed)
        #expect(trail[0].step == "申领受理" && trail[1].step == "费用录入")
    }

    @Test func unitAcceptedClaimIsReviewedByItsAgency() throws {
        let trail = try runWorkflow(
            .new(source: .unit, amount: m("500.00")),
            [
                (.acceptCase, WorkflowActors.unit), (.submitCosts, WorkflowActors.unit),
                (passReview, WorkflowActors.county),
                (passReview, WorkflowActors.city),
            ])
        #expect(trail.last?.to == .pendingArchive)
    }

    @Test func atThresholdGoesThroughOfficeReviewAndTheOfficePushes() throws {
        let trail = try runWorkflow(
            .new(source: .memberApp, amount: m("2000.00")),
            [
                (passReview, WorkflowActors.county), (passReview, WorkflowActors.city),
                (passReview, WorkflowActors.office),
                (.archive(number: "GD-001", mode: .online, note: nil), WorkflowActors.county),
                (.push, WorkflowActors.office), (.pay(reference: "ZF-001"), WorkflowActors.finance),
            ])
        #expect(
            trail.map(\.to) == [.secondReview, .officeReview, .pendingArchive, .pendingPush, .pendingPayment, .closed])
        #expect(trail[2].step == "办事处审核")
        #expect(trail[2].snapshot.officeReviewed)
    }

    @Test func thresholdRule() {
        #expect(CaseWorkflow.officeReviewThreshold == m("2000"))
        #expect(!CaseWorkflow.needsOfficeReview(amount: m("1999.99")))
        #expect(CaseWorkflow.needsOfficeReview(amount: m("2000.00")))
        #expect(CaseWorkflow.needsOfficeReview(amount: m("2000.01")))
    }

    @Test func optionalFinalReview() throws {
        // Below the threshold: second review → final review → archive.
        let small = try runWorkflow(
            .new(source: .memberApp, amount: m("100.00")),
            [
                (passReview, WorkflowActors.county), (.requestFinalReview(note: "疑点较多"), WorkflowActors.city),
                (passReview, WorkflowActors.office),
            ])
        #expect(small.map(\.to) == [.secondReview, .finalReview, .pendingArchive])
        #expect(small[2].step == "申领终审")
        // At the threshold from second review, final review still leads to office review.
        let large = try runWorkflow(
            .new(source: .memberApp, amount: m("5000.00")),
            [
                (passReview, WorkflowActors.county), (.requestFinalReview(note: nil), WorkflowActors.city),
                (passReview, WorkflowActors.office),
            ])
        #expect(large.last?.to == .officeReview)
        // From office review, back from final review returns there.
        let back = try runWorkflow(
            large.last!.snapshot,
            [
                (.requestFinalReview(note: nil), WorkflowActors.office),
                (.review(decision: .back, note: "退回办事处"), WorkflowActors.office),
            ])
        #expect(back.map(\.to) == [.finalReview, .officeReview])
        #expect(back.last?.snapshot.detourFrom == nil)
        // A final review the office asked for concludes its office review.
        let escalated = try runWorkflow(
            large.last!.snapshot,
            [
                (.requestFinalReview(note: nil), WorkflowActors.office),
                (passReview, WorkflowActors.office),
            ])
        #expect(escalated.last?.to == .pendingArchive)
        #expect(escalated.last?.snapshot.officeReviewed == true)
    }

    @Test func expertReviewAndInvestigationReturnToTheReviewThatAskedForThem() throws {
        let start = CaseSnapshot(state: .secondReview, amount: m("300.00"), source: .office)
        let expert = try runWorkflow(
            start,
            [
                (.routeToExpert(note: "请专家判断"), WorkflowActors.city), (passReview, WorkflowActors.office),
                (passReview, WorkflowActors.city),
            ])
        #expect(expert.map(\.to) == [.expertReview, .secondReview, .pendingArchive])
        #expect(expert[1].step == "专家审核")
        let investigation = try runWorkflow(
            start,
            [
                (.routeToInvestigation(note: nil), WorkflowActors.city),
                (.review(decision: .fail, note: "调查发现虚假材料"), WorkflowActors.city),
            ])
        #expect(investigation.map(\.to) == [.investigation, .rejected])
    }

    @Test func suspendAndResumeReturnToTheSameStep() throws {
        let start = CaseSnapshot(state: .secondReview, amount: m("300.00"), source: .office)
        let trail = try runWorkflow(
            start, [(.suspend(note: "等待医院回函"), WorkflowActors.city), (.resume, WorkflowActors.city)])
        #expect(trail[0].to == .suspended)
        #expect(trail[0].snapshot.suspendedFrom == .secondReview)
        #expect(trail[1].to == .secondReview)
        #expect(trail[1].snapshot.suspendedFrom == nil)
        #expect(trail[0].note == "等待医院回函")
    }

    @Test func supplementAndResubmit() throws {
        let start = CaseSnapshot.new(source: .memberApp, amount: m("79.00"))
        let byMember = try runWorkflow(
            start,
            [
                (.requestSupplement(items: ["invoice"], note: "请补充出院小结"), WorkflowActors.county),
                (.resubmit, WorkflowActors.member),
            ])
        #expect(byMember.map(\.to) == [.supplementRequested, .firstReview])
        #expect(byMember[0].snapshot.supplementFrom == .firstReview)
        #expect(byMember[1].snapshot.supplementFrom == nil)
        // The accepting agency may also hand in the material it collected.
        let byAgency = try runWorkflow(
            CaseSnapshot(state: .secondReview, amount: m("79.00"), source: .office),
            [
                (.requestSupplement(items: ["invoice"], note: "补充发票"), WorkflowActors.city),
                (.resubmit, WorkflowActors.county),
            ])
        #expect(byAgency.last?.to == .secondReview)
    }

    @Test func backSendsToThePreviousStep() throws {
        let back = ReviewDecision.back
        let first = try runWorkflow(
            CaseSnapshot(state: .firstReview, amount: m("1"), source: .office),
            [(.review(decision: back, note: "费用录入有误"), WorkflowActors.county)])
        #expect(first[0].to == .accepted)
        let second = try runWorkflow(
            CaseSnapshot(state: .secondReview, amount: m("1"), source: .office),
            [(.review(decision: back, note: "请重新初审"), WorkflowActors.city)])
        #expect(second[0].to == .firstReview)
        let office = try runWorkflow(
            CaseSnapshot(state: .officeReview, amount: m("3000"), source: .office),
            [(.review(decision: back, note: "请复核"), WorkflowActors.office)])
        #expect(office[0].to == .secondReview)
        #expect(!office[0].snapshot.officeReviewed)
    }

    @Test func failRejectsAndCancelEnds() throws {
        let failed = try runWorkflow(
            .new(source: .memberApp, amount: m("79")),
            [(.review(decision: .fail, note: "不属于保障责任"), WorkflowActors.county)])
        #expect(failed[0].to == .rejected)
        let cancelled = try runWorkflow(
            CaseSnapshot(state: .pendingPush, amount: m("79"), source: .office),
            [(.cancel(note: "申请人撤回"), WorkflowActors.county)])
        #expect(cancelled[0].to == .cancelled)
    }

    @Test func trailEntryCarriesTheTransition() throws {
        let t = try CaseWorkflow.apply(
            .review(decision: .pass, note: "材料齐全"),
            to: .new(source: .memberApp, amount: m("79")), by: WorkflowActors.county)
        let entry = TrailEntry(t, operatorLogin: "qishan01", at: "2025-03-05T10:12:00+08:00", durationSeconds: 320)
        #expect(entry.step == "申领初审" && entry.fromState == .firstReview && entry.toState == .secondReview)
        #expect(entry.note == "材料齐全" && entry.operatorLogin == "qishan01" && entry.durationSeconds == 320)
    }

    @Test func statesHaveKebabRawValuesAndChineseNames() {
        #expect(CaseState.pendingArchive.rawValue == "pending-archive")
        #expect(CaseState.supplementRequested.chineseName == "待补材")
        #expect(CaseState.allCases.allSatisfy { !$0.chineseName.isEmpty && $0.rawValue == $0.rawValue.lowercased() })
        #expect(CaseSource.memberApp.chineseName == "会员端申请")
    }
}

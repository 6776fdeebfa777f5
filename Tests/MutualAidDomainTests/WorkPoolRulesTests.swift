import Testing

@testable import MutualAidDomain

/// Which pool an application, registration or claim waits in, and who may take it (DOMAIN §6).
struct WorkPoolRulesTests {
    static func actor(_ role: Role, _ level: OrgLevel, inSubtree: Bool = true) -> EnrolmentActor {
        EnrolmentActor(role: role, level: level, inSubtree: inSubtree)
    }
    static let county = actor(.agent, .county)
    static let city = actor(.agent, .city)
    static let office = actor(.office, .office)
    static let finance = actor(.finance, .office)
    static let unit = actor(.unit, .unit)

    @Test func everyApplicationStateWaitsAtItsOwnStepOrNone() {
        let expected: [EnrolmentState: EnrolmentPoolStep] = [
            .firstReview: .firstReview, .secondReview: .secondReview, .finalReview: .finalReview,
            .invoicing: .invoicing, .paymentCheck: .paymentCheck, .confirmed: .archive,
        ]
        for state in EnrolmentState.allCases {
            #expect(EnrolmentPoolStep.waiting(state) == expected[state], "\(state)")
        }
        #expect(EnrolmentPoolStep.waiting(registration: "submitted") == .registration)
        #expect(EnrolmentPoolStep.waiting(registration: "approved") == nil)
        #expect(EnrolmentPoolStep.waiting(registration: "rejected") == nil)
        #expect(EnrolmentPoolStep.registration.subject == .registration)
        #expect(EnrolmentPoolStep.invoicing.subject == .enrolment)
        // Step names on the command line never collide with the claim pools'.
        #expect(Set(EnrolmentPoolStep.allCases.map(\.rawValue)).isDisjoint(with: PoolStep.allCases.map(\.rawValue)))
    }

    @Test func claimDetourStepsHaveTheirPools() {
        #expect(PoolStep.finalReview.state == .finalReview)
        #expect(PoolStep.expertReview.state == .expertReview)
        #expect(PoolStep.investigation.state == .investigation)
        #expect(PoolTab.of(state: .expertReview, suspendedFrom: nil, holder: nil, step: .expertReview) == .pending)
        #expect(
            PoolTab.of(state: .investigation, suspendedFrom: nil, holder: "sl", step: .investigation) == .inProgress)
        #expect(
            PoolTab.of(state: .suspended, suspendedFrom: .finalReview, holder: nil, step: .finalReview) == .suspended)
        #expect(PoolTab.of(state: .finalReview, suspendedFrom: nil, holder: nil, step: .expertReview) == nil)
    }

    @Test func theDutyOfEachStepIsTheDutyOfItsDecision() throws {
        let who: [(EnrolmentPoolStep, [EnrolmentActor], [EnrolmentActor])] = [
            (.firstReview, [Self.county, Self.city], [Self.office, Self.finance, Self.unit]),
            (.secondReview, [Self.city, Self.office], [Self.county, Self.finance, Self.unit]),
            (.finalReview, [Self.office], [Self.county, Self.city, Self.finance]),
            (.invoicing, [Self.unit, Self.county, Self.office], [Self.finance]),
            (.paymentCheck, [Self.finance], [Self.county, Self.office, Self.unit]),
            (.archive, [Self.county, Self.office], [Self.finance, Self.unit]),
            (.registration, [Self.county, Self.city, Self.office], [Self.finance, Self.unit]),
        ]
        for (step, may, mayNot) in who {
            for a in may { #expect(step.isHeld(by: a), "\(step) \(a)") }
            for a in mayNot { #expect(!step.isHeld(by: a), "\(step) \(a)") }
        }
        // The state machine refuses a decision by whoever the pool refuses.
        #expect(throws: RuleViolation.self) {
            try EnrolmentWorkflow.apply(.finalReview(pass: true, note: nil), to: .finalReview, by: Self.city)
        }
        #expect(
            try EnrolmentWorkflow.apply(.finalReview(pass: true, note: nil), to: .finalReview, by: Self.office).to
                == .invoicing)
    }

    @Test func acquireReleaseAndDecideFollowTheHolder() throws {
        let zhou = PoolHolder(login: "sz-agent", name: "周强")
        try PoolHolding.checkAcquire(at: .firstReview, stateName: "待初审", holder: nil, by: "sz-agent", Self.county)
        try PoolHolding.checkAcquire(at: .firstReview, stateName: "待初审", holder: zhou, by: "sz-agent", Self.county)
        func refusal(_ body: () throws -> Void) -> RuleViolation? {
            do { try body() } catch { return error as? RuleViolation }
            return nil
        }
        let taken = refusal {
            try PoolHolding.checkAcquire(at: .firstReview, stateName: "待初审", holder: zhou, by: "sl-agent", Self.city)
        }
        #expect(taken?.message == "由 周强（sz-agent）处理中，请先由其释放")
        #expect(refusal { try PoolHolding.checkDecision(holder: zhou, by: "sl-agent") }?.field == "holder")
        #expect(refusal { try PoolHolding.checkDecision(holder: nil, by: "sl-agent") } == nil)
        #expect(refusal { try PoolHolding.checkDecision(holder: zhou, by: "sz-agent") } == nil)
        #expect(
            refusal {
                try PoolHolding.checkAcquire(at: .finalReview, stateName: "待终审", holder: nil, by: "sl", Self.city)
            }?.message.contains("办事处") == true)
        #expect(
            refusal { try PoolHolding.checkAcquire(at: nil, stateName: "已归档", holder: nil, by: "sl", Self.city) }?
                .message.contains("已归档") == true)
        #expect(
            refusal {
                try PoolHolding.checkAcquire(
                    at: .firstReview, stateName: "待初审", holder: nil, by: "x",
                    Self.actor(.agent, .county, inSubtree: false))
            }?.field == "actor")
        #expect(refusal { try PoolHolding.checkRelease(holder: zhou, by: "sl-agent") } != nil)
        #expect(refusal { try PoolHolding.checkRelease(holder: nil, by: "sz-agent") } != nil)
        #expect(refusal { try PoolHolding.checkRelease(holder: zhou, by: "sz-agent") } == nil)
        #expect(PoolHolding.tab(holder: nil) == .pending)
        #expect(PoolHolding.tab(holder: "sz-agent") == .inProgress)
    }
}

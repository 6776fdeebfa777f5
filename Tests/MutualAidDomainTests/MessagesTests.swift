import Testing

@testable import MutualAidDomain

/// The wording of the message centre and which steps send a message, from real transitions
/// of the shared state machines.
@Suite struct MessagesTests {
    static let number = "CL26022026120100000042"
    static let names = ["discharge-summary": "出院小结（出院记录）", "bank-card": "银行卡"]

    static func step(_ action: CaseAction, from state: CaseState, by actor: CaseActor, amount: String? = "79.00")
        throws -> Transition
    {
        let snapshot = CaseSnapshot(
            state: state, amount: amount.flatMap(Money.init), source: .memberApp,
            detourFrom: state == .expertReview ? .secondReview : nil)
        return try CaseWorkflow.apply(action, to: snapshot, by: actor)
    }

    static func message(_ transition: Transition) -> MessageDraft? {
        Messages.forCaseStep(transition, caseNumber: number, amount: "79.00", itemNames: names)
    }

    @Test func aSupplementRequestNamesTheItemsAndTheNote() throws {
        let t = try Self.step(
            .requestSupplement(items: ["discharge-summary", "bank-card"], note: "出院小结不清晰，请重新拍摄"),
            from: .firstReview, by: WorkflowActors.county)
        let draft = try #require(Self.message(t))
        #expect(draft.kind == .materialRequested && draft.caseNumber == Self.number)
        #expect(draft.text.contains("出院小结（出院记录）、银行卡"))
        #expect(draft.text.contains("说明：出院小结不清晰，请重新拍摄。请补充"))
        #expect(draft.text.contains(Self.number))
        // An item the checklist does not name is shown by its code rather than dropped.
        let unknown = try Self.step(
            .requestSupplement(items: ["x-ray"], note: "补充"), from: .firstReview, by: WorkflowActors.county)
        #expect(try #require(Self.message(unknown)).text.contains("x-ray"))
    }

    @Test func paymentCarriesAmountReferenceAndCaseNumber() throws {
        let t = try Self.step(.pay(reference: "PAY-0001"), from: .pendingPayment, by: WorkflowActors.finance)
        let draft = try #require(Self.message(t))
        #expect(draft.kind == .claimPaid && draft.caseNumber == Self.number)
        for part in ["79.00 元", "PAY-0001", Self.number, "支付结案"] { #expect(draft.text.contains(part), "\(part)") }
    }

    @Test func reviewsTellTheOutcomeAndARefusalItsReason() throws {
        let passed = try #require(
            Self.message(
                try Self.step(
                    .review(decision: .pass, note: "材料齐全。"), from: .firstReview, by: WorkflowActors.county)))
        #expect(passed.kind == .reviewConcluded)
        #expect(passed.text.contains("已通过申领初审，进入「申领复审」") && passed.text.contains("审核意见：材料齐全。"))
        #expect(!passed.text.contains("。。"))
        let back = try #require(
            Self.message(
                try Self.step(
                    .review(decision: .back, note: "金额有误"), from: .secondReview, by: WorkflowActors.city)))
        #expect(back.kind == .reviewConcluded && back.text.contains("退回至「申领初审」"))
        let refused = try #require(
            Self.message(
                try Self.step(
                    .review(decision: .fail, note: "不属于保障范围"), from: .firstReview, by: WorkflowActors.county)))
        #expect(refused.kind == .claimRefused && refused.text.contains("原因：不属于保障范围。"))
    }

    /// Expert review only advises and its notes stay with the staff: the member hears nothing
    /// of it, unless it ends the case, and then without the note.
    @Test func expertReviewStaysInternal() throws {
        let routed = try Self.step(.routeToExpert(note: "需专家意见"), from: .secondReview, by: WorkflowActors.city)
        #expect(Self.message(routed) == nil)
        let advised = try Self.step(
            .review(decision: .pass, note: "专家认为合理"), from: .expertReview, by: WorkflowActors.city)
        #expect(Self.message(advised) == nil)
        let ended = try #require(
            Self.message(
                try Self.step(
                    .review(decision: .fail, note: "疑似虚假住院"), from: .expertReview, by: WorkflowActors.city)))
        #expect(ended.kind == .claimRefused && !ended.text.contains("疑似虚假住院"))
    }

    @Test func stepsMembersAreNotToldAboutSendNothing() throws {
        #expect(
            Self.message(
                try Self.step(
                    .archive(number: "GD-1", mode: .online, note: nil), from: .pendingArchive, by: WorkflowActors.city))
                == nil)
        #expect(Self.message(try Self.step(.push, from: .pendingPush, by: WorkflowActors.city)) == nil)
        #expect(
            Self.message(try Self.step(.suspend(note: "等待"), from: .firstReview, by: WorkflowActors.county)) == nil)
    }

    @Test func acceptanceNamesTheCaseAndASupplementaryPaymentItsOrigin() {
        let accepted = Messages.claimAccepted(caseNumber: Self.number)
        #expect(accepted.kind == .claimAccepted && accepted.caseNumber == Self.number)
        #expect(accepted.text.contains("已受理，案件号 \(Self.number)"))
        #expect(Messages.claimAccepted(caseNumber: "CL2", linkedCase: "CL1").text.contains("补赔申领（关联案件 CL1）"))
    }

    @Test func enrolmentIsConfirmedWithItsLetterOrReturnedWithTheReason() throws {
        let unit = EnrolmentActor(role: .agent, level: .county, inSubtree: true)
        let finance = EnrolmentActor(role: .finance, level: .office, inSubtree: true)
        func message(_ action: EnrolmentAction, _ state: EnrolmentState, _ actor: EnrolmentActor, letter: String?)
            throws -> MessageDraft?
        {
            Messages.forEnrolmentStep(
                try EnrolmentWorkflow.apply(action, to: state, by: actor), action: action,
                application: "申请日期 2026-11-20", letterNumber: letter, periodStart: "2026-12-02",
                periodEnd: "2027-12-01")
        }
        let returned = try #require(
            try message(.firstReview(pass: false, note: "名单缺少身份证号"), .firstReview, unit, letter: nil))
        #expect(returned.kind == .enrolmentReturned && returned.caseNumber == nil)
        #expect(returned.text.contains("未通过参保初审") && returned.text.contains("名单缺少身份证号"))
        let unpaid = try #require(try message(.returnPayment(note: "未到账"), .paymentCheck, finance, letter: nil))
        #expect(unpaid.kind == .enrolmentReturned && unpaid.text.contains("原因：未到账。"))
        let letter = "G26022026120100000007"
        let confirmed = try #require(try message(.confirmPayment(note: nil), .paymentCheck, finance, letter: letter))
        #expect(confirmed.kind == .enrolmentConfirmed)
        #expect(confirmed.text.contains(letter) && confirmed.text.contains("2026-12-02 至 2027-12-01"))
        #expect(try message(.firstReview(pass: true, note: nil), .firstReview, unit, letter: nil) == nil)
    }

    @Test func kindsAreTheStableCodesScriptsRead() {
        #expect(
            MessageKind.allCases.map(\.rawValue) == [
                "claim_accepted", "material_requested", "review_concluded", "claim_paid", "claim_refused",
                "payment_failed", "enrolment_confirmed", "enrolment_returned", "registration_approved",
                "registration_refused",
            ])
        #expect(Set(MessageKind.allCases.map(\.chineseName)).count == MessageKind.allCases.count)
        #expect(Messages.registrationApproved(unitName: "新兴商贸", login: "9161").text.contains("登录账号为 9161"))
    }
}

extension MessagesTests {
    @Test func aRefusedRegistrationTellsTheReasonAndWhatToDo() {
        let refused = Messages.registrationRefused(unitName: "某某公司", note: "营业执照已过期")
        #expect(refused.kind == .registrationRefused && refused.caseNumber == nil)
        #expect(refused.text == "【职工互助保障】某某公司的单位注册申请未通过审核。原因：营业执照已过期。请修改后重新提交注册申请，或联系所选代办机构。")
    }
}

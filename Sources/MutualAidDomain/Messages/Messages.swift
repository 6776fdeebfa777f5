import Foundation

/// The wording of the messages (消息中心) the server writes to the people a business change
/// concerns. Pure functions, so each text is decided and tested in one place and never built
/// in SQL; the server only addresses and stores what these return.
public enum Messages {
    // MARK: Claims — to the claim's member

    public static func claimAccepted(caseNumber: String, linkedCase: String? = nil) -> MessageDraft {
        let what = linkedCase.map { "您的补赔申领（关联案件 \($0)）" } ?? "您的申领"
        return MessageDraft(
            kind: .claimAccepted, text: "\(what)已受理，案件号 \(caseNumber)。审核进度会在这里通知您。", caseNumber: caseNumber)
    }

    /// `items` are the checklist's names of the requested items.
    public static func materialRequested(caseNumber: String?, items: [String], note: String?) -> MessageDraft {
        var text = "\(claim(caseNumber))需要补充材料：\(items.joined(separator: "、"))。"
        if let note = sentence(note) { text += "说明：\(note)" }
        return MessageDraft(kind: .materialRequested, text: text + "请补充后重新提交。", caseNumber: caseNumber)
    }

    /// A review passed (on to `next`) or sent the case back to `next`.
    public static func reviewConcluded(
        caseNumber: String?, step: String, decision: ReviewDecision, next: CaseState, note: String?
    ) -> MessageDraft {
        var text =
            decision == .back
            ? "\(claim(caseNumber))在\(step)中被退回至「\(next.chineseName)」重新办理。"
            : "\(claim(caseNumber))已通过\(step)，进入「\(next.chineseName)」。"
        if let note = sentence(note) { text += "审核意见：\(note)" }
        return MessageDraft(kind: .reviewConcluded, text: text, caseNumber: caseNumber)
    }

    public static func claimPaid(caseNumber: String?, amount: String?, reference: String) -> MessageDraft {
        let money = amount.map { "互助金 \($0) 元" } ?? "互助金"
        return MessageDraft(
            kind: .claimPaid,
            text: "\(claim(caseNumber))已支付结案，\(money)已付往您登记的银行账户，支付流水号 \(reference)。",
            caseNumber: caseNumber)
    }

    /// The bank returned the transfer: the member learns why and that the card must be changed.
    public static func paymentFailed(caseNumber: String?, amount: String?, reason: String) -> MessageDraft {
        let money = amount.map { "互助金 \($0) 元" } ?? "互助金"
        let why = sentence(reason).map { "银行退回原因：\($0)" } ?? ""
        return MessageDraft(
            kind: .paymentFailed,
            text: "\(claim(caseNumber))的\(money)支付失败，款项未到账。\(why)"
                + "请尽快联系受理您申领的经办机构办理卡号修改，提供本人有效的银行卡；修改后将重新支付。",
            caseNumber: caseNumber)
    }

    /// The case ends without payment. `reason` is left out when it is a staff working note.
    public static func claimRefused(caseNumber: String?, step: String, reason: String?) -> MessageDraft {
        let why = sentence(reason).map { "原因：\($0)" } ?? "如有疑问请联系经办机构。"
        return MessageDraft(
            kind: .claimRefused, text: "\(claim(caseNumber))经\(step)审核不通过。\(why)", caseNumber: caseNumber)
    }

    /// What a case step tells the claim's member, or nil for steps members are not told about.
    /// Expert review and investigation only advise, and their notes are the staff's own
    /// (`InternalSteps`): a member hears of them only when they end the case, without the note.
    public static func forCaseStep(
        _ transition: Transition, caseNumber: String?, amount: String?, itemNames: [String: String]
    ) -> MessageDraft? {
        let isInternal = InternalSteps.names.contains(transition.step)
        if transition.to == .rejected {
            return claimRefused(
                caseNumber: caseNumber, step: transition.step, reason: isInternal ? nil : transition.note)
        }
        switch transition.action {
        case .requestSupplement(let items, let note):
            return materialRequested(caseNumber: caseNumber, items: items.map { itemNames[$0] ?? $0 }, note: note)
        case .review(let decision, let note):
            guard !isInternal else { return nil }
            return reviewConcluded(
                caseNumber: caseNumber, step: transition.step, decision: decision, next: transition.to, note: note)
        case .pay(let reference):
            return claimPaid(caseNumber: caseNumber, amount: amount, reference: reference)
        case .paymentFailed(let reason):
            return paymentFailed(caseNumber: caseNumber, amount: amount, reason: reason)
        default:
            return nil
        }
    }

    // MARK: Enrolment — to the unit's clerks

    public static func enrolmentConfirmed(
        application: String?, letterNumber: String, periodStart: String?, periodEnd: String?
    ) -> MessageDraft {
        var text = "\(self.application(application))已到账确认，确认书编号 \(letterNumber)。"
        if let periodStart, let periodEnd { text += "保障期 \(periodStart) 至 \(periodEnd)。" }
        return MessageDraft(kind: .enrolmentConfirmed, text: text)
    }

    /// A review failed: the application is back with the unit to correct and submit again.
    public static func enrolmentReturned(application: String?, step: String, note: String?) -> MessageDraft {
        let why = sentence(note).map { "意见：\($0)" } ?? ""
        return MessageDraft(
            kind: .enrolmentReturned, text: "\(self.application(application))未通过\(step)，已退回单位修改后重新提交。\(why)")
    }

    /// Finance found the payment short or wrong: invoicing starts again.
    public static func paymentReturned(application: String?, note: String?) -> MessageDraft {
        let why = sentence(note).map { "原因：\($0)" } ?? ""
        return MessageDraft(
            kind: .enrolmentReturned, text: "\(self.application(application))到账确认未通过，已退回开票录入。\(why)")
    }

    /// What an enrolment step tells the unit, or nil. `letterNumber` and the period are the
    /// application's after the step.
    public static func forEnrolmentStep(
        _ step: EnrolmentWorkflow.Step, action: EnrolmentAction, application: String?, letterNumber: String?,
        periodStart: String?, periodEnd: String?
    ) -> MessageDraft? {
        if step.to == .returned {
            return enrolmentReturned(application: application, step: step.step, note: step.note)
        }
        switch action {
        case .returnPayment(let note):
            return paymentReturned(application: application, note: note)
        case .confirmPayment:
            return letterNumber.map {
                enrolmentConfirmed(
                    application: application, letterNumber: $0, periodStart: periodStart, periodEnd: periodEnd)
            }
        default:
            return nil
        }
    }

    // MARK: Registration — to the new unit's clerks

    public static func registrationApproved(unitName: String, login: String) -> MessageDraft {
        MessageDraft(
            kind: .registrationApproved,
            text: "\(unitName)已通过注册审核，登录账号为 \(login)；初始密码已用短信发给注册时填写的联系人。")
    }

    /// A refused registration has no account to write to: this text goes by SMS to the contact.
    public static func registrationRefused(unitName: String, note: String) -> MessageDraft {
        let why = sentence(note).map { "原因：\($0)" } ?? ""
        return MessageDraft(
            kind: .registrationRefused,
            text: "【职工互助保障】\(unitName)的单位注册申请未通过审核。\(why)请修改后重新提交注册申请，或联系所选代办机构。")
    }

    // MARK: Wording

    private static func claim(_ caseNumber: String?) -> String {
        caseNumber.map { "您的申领（案件号 \($0)）" } ?? "您的申领"
    }

    private static func application(_ label: String?) -> String {
        label.map { "参保申请（\($0)）" } ?? "参保申请"
    }

    /// A note as one sentence ending in "。", or nil when it says nothing.
    static func sentence(_ note: String?) -> String? {
        var text = (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        if let last = text.last, !"。！？.!?".contains(last) { text += "。" }
        return text
    }
}

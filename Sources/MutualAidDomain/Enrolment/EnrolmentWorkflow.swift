import Foundation

/// The enrolment pipeline (DOMAIN §4) as a pure function, shared by client and server:
/// state + action + actor → the next state and the trail step, or the rule that forbids it.
public enum EnrolmentWorkflow {
    /// Review opinions hold at most 200 characters (the form counts 0/200).
    public static let noteLimit = 200

    public struct Step: Hashable, Sendable {
        public var from: EnrolmentState
        public var to: EnrolmentState
        public var step: String
        public var note: String?
    }

    public static func apply(
        _ action: EnrolmentAction, to state: EnrolmentState,
        by actor: EnrolmentActor
    ) throws(RuleViolation) -> Step {
        guard actor.inSubtree else {
            throw RuleViolation(field: "actor", message: "该参保申请不在您的管辖范围内")
        }
        func require(_ ok: Bool) throws(RuleViolation) {
            guard ok else {
                throw RuleViolation(
                    field: "state", message: "参保申请当前为「\(state.chineseName)」，不能办理「\(action.chineseName)」")
            }
        }
        func duty(_ ok: Bool, _ holders: String) throws(RuleViolation) {
            guard ok else { throw RuleViolation(field: "actor", message: "「\(action.chineseName)」只能由\(holders)办理") }
        }
        // A step's decision needs the duty of its work pool.
        func stepDuty(_ step: EnrolmentPoolStep) throws(RuleViolation) {
            try duty(step.isHeld(by: actor), step.holders)
        }
        func checkNote(_ note: String?, required: Bool) throws(RuleViolation) {
            let text = note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if required, text.isEmpty { throw RuleViolation(field: "note", message: "请填写审核意见") }
            guard TextLimit.fits(text, characters: noteLimit) else {
                throw RuleViolation(field: "note", message: "意见不能超过\(noteLimit)个字")
            }
        }
        let isAgent = actor.role == .agent
        switch action {
        case .submit:
            try require(state.isEditable)
            try duty(actor.role == .unit || isAgent, "参保单位经办人或代办机构")
            return Step(from: state, to: .firstReview, step: "参保录入", note: nil)
        case .firstReview(let pass, let note, _):
            try require(state == .firstReview)
            try stepDuty(.firstReview)
            try checkNote(note, required: !pass)
            return Step(from: state, to: pass ? .secondReview : .returned, step: "参保初审", note: note)
        case .secondReview(let pass, let toFinal, let note):
            try require(state == .secondReview)
            try stepDuty(.secondReview)
            try checkNote(note, required: true)
            return Step(
                from: state, to: pass ? (toFinal ? .finalReview : .invoicing) : .returned, step: "参保复审", note: note)
        case .finalReview(let pass, let note):
            try require(state == .finalReview)
            try stepDuty(.finalReview)
            try checkNote(note, required: !pass)
            return Step(from: state, to: pass ? .invoicing : .returned, step: "参保终审", note: note)
        case .invoicingDone:
            try require(state == .invoicing)
            return Step(from: state, to: .paymentCheck, step: "开票录入", note: nil)
        case .confirmPayment:
            try require(state == .paymentCheck)
            try stepDuty(.paymentCheck)
            return Step(from: state, to: .confirmed, step: "到账确认", note: nil)
        case .returnPayment(let note):
            try require(state == .paymentCheck)
            try stepDuty(.paymentCheck)
            try checkNote(note, required: true)
            return Step(from: state, to: .invoicing, step: "到账退回", note: note)
        case .archive(let pass, let note):
            try require(state == .confirmed)
            try stepDuty(.archive)
            try checkNote(note, required: !pass)
            return Step(from: state, to: .archived, step: "确认书归档", note: note)
        case .cancel(let note):
            try require(state.isCancellable)
            try duty(actor.role == .unit || isAgent || actor.role == .office, "参保单位、代办机构或办事处")
            try checkNote(note, required: true)
            return Step(from: state, to: .cancelled, step: "参保撤销", note: note)
        }
    }
}

/// What a message (消息) is about: a stable code that scripts read (`messages --json`) and a
/// Chinese name the human output shows.
public enum MessageKind: String, Codable, Hashable, Sendable, CaseIterable {
    case claimAccepted = "claim_accepted"
    case materialRequested = "material_requested"
    case reviewConcluded = "review_concluded"
    case claimPaid = "claim_paid"
    case claimRefused = "claim_refused"
    case paymentFailed = "payment_failed"
    case enrolmentConfirmed = "enrolment_confirmed"
    case enrolmentReturned = "enrolment_returned"
    case registrationApproved = "registration_approved"
    /// Not written today: a refused registration has no account and no unit, so there is no
    /// one to address it to; the registrant reads the outcome with `register status`.
    case registrationRefused = "registration_refused"

    public var chineseName: String {
        switch self {
        case .claimAccepted: "申领受理"
        case .materialRequested: "补充材料"
        case .reviewConcluded: "审核结果"
        case .claimPaid: "支付结案"
        case .claimRefused: "申领未获通过"
        case .paymentFailed: "支付失败"
        case .enrolmentConfirmed: "参保确认"
        case .enrolmentReturned: "参保退回"
        case .registrationApproved: "注册通过"
        case .registrationRefused: "注册未通过"
        }
    }
}

/// A message as the business rules compose it; the server addresses, stamps and stores it.
public struct MessageDraft: Hashable, Sendable {
    public var kind: MessageKind
    public var text: String
    /// The case the message is about, for claim messages.
    public var caseNumber: String?

    public init(kind: MessageKind, text: String, caseNumber: String? = nil) {
        self.kind = kind
        self.text = text
        self.caseNumber = caseNumber
    }
}

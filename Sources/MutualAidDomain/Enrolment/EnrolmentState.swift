/// Where an enrolment application (参保申请) stands in the pipeline of DOMAIN §4.
public enum EnrolmentState: String, Codable, Sendable, CaseIterable {
    case draft
    case firstReview = "first-review"
    case secondReview = "second-review"
    case finalReview = "final-review"
    /// Reviews passed; fees are split and invoiced (开票录入).
    case invoicing
    /// Everything invoiced; finance confirms the money arrived (到账确认).
    case paymentCheck = "payment-check"
    /// Payment confirmed: letter issued, persons enrolled; waiting for the letter's archive.
    case confirmed
    case archived
    /// A review failed: back with the unit to correct and submit again.
    case returned
    case cancelled

    public var chineseName: String {
        switch self {
        case .draft: "待提交"
        case .firstReview: "待初审"
        case .secondReview: "待复审"
        case .finalReview: "待终审"
        case .invoicing: "待开票"
        case .paymentCheck: "待到账确认"
        case .confirmed: "已确认（待归档）"
        case .archived: "已归档"
        case .returned: "已退回"
        case .cancelled: "已撤销"
        }
    }

    /// Whether the unit may still change activities, counts and lists.
    public var isEditable: Bool { self == .draft || self == .returned }

    /// Cancellation (参保撤销) is possible until the payment is confirmed.
    public var isCancellable: Bool {
        [.draft, .returned, .firstReview, .secondReview, .finalReview, .invoicing, .paymentCheck].contains(self)
    }
}

/// Who acts on an application.
public struct EnrolmentActor: Hashable, Sendable {
    public var role: Role
    public var level: OrgLevel
    public var inSubtree: Bool
    public init(role: Role, level: OrgLevel, inSubtree: Bool) {
        self.role = role
        self.level = level
        self.inSubtree = inSubtree
    }
}

/// Everything that moves an application, with what each carries.
public enum EnrolmentAction: Codable, Hashable, Sendable {
    case submit
    /// A first review may fix the effective date (指定生效日); the state machine does not read it.
    case firstReview(pass: Bool, note: String?, effectiveDate: CalendarDate? = nil)
    case secondReview(pass: Bool, toFinal: Bool, note: String)
    case finalReview(pass: Bool, note: String?)
    /// The remaining amount to invoice reached zero (the server does this itself).
    case invoicingDone
    /// The note is kept with the decision; the step itself does not need one.
    case confirmPayment(note: String?)
    case returnPayment(note: String)
    case archive(pass: Bool, note: String?)
    case cancel(note: String)

    public var chineseName: String {
        switch self {
        case .submit: "提交参保"
        case .firstReview: "参保初审"
        case .secondReview: "参保复审"
        case .finalReview: "参保终审"
        case .invoicingDone: "开票完成"
        case .confirmPayment: "到账确认"
        case .returnPayment: "到账退回"
        case .archive: "确认书归档"
        case .cancel: "参保撤销"
        }
    }
}

/// The states of a claim case on the server (DOMAIN §5, §6). A member's draft and its
/// pending sync live only on the client; a synced member claim starts in first review.
public enum CaseState: String, Codable, Sendable, CaseIterable {
    /// Being put together by a unit or an agent, not yet accepted (no case number).
    case draft
    /// Accepted, case number issued; waiting for materials and cost entry (费用录入).
    case accepted
    case firstReview = "first-review"
    case secondReview = "second-review"
    /// Review of the mailed paper file by the office, for 2000 yuan and more.
    case officeReview = "office-review"
    case finalReview = "final-review"
    case expertReview = "expert-review"
    case investigation
    /// Waiting for more material; `CaseSnapshot.supplementFrom` is where it returns.
    case supplementRequested = "supplement-requested"
    /// Parked by a reviewer; `CaseSnapshot.suspendedFrom` is where it resumes.
    case suspended
    case pendingArchive = "pending-archive"
    case pendingPush = "pending-push"
    /// Pushed to finance, waiting for payment.
    case pendingPayment = "pending-payment"
    /// The bank returned the payment (closed account, wrong name …); `paymentFailure` holds its
    /// reason. A card change (卡号修改) puts the case back to pending payment.
    case paymentFailed = "payment-failed"
    case closed
    case rejected
    case cancelled

    public var chineseName: String {
        switch self {
        case .draft: "草稿"
        case .accepted: "已受理"
        case .firstReview: "申领初审"
        case .secondReview: "申领复审"
        case .officeReview: "办事处审核"
        case .finalReview: "申领终审"
        case .expertReview: "专家审核"
        case .investigation: "调查处理"
        case .supplementRequested: "待补材"
        case .suspended: "悬挂中"
        case .pendingArchive: "待归档"
        case .pendingPush: "待推送"
        case .pendingPayment: "已推送待支付"
        case .paymentFailed: "支付失败待修改卡号"
        case .closed: "已结案"
        case .rejected: "审核不通过"
        case .cancelled: "已撤销"
        }
    }

    /// Nothing more happens to a case in these states.
    public var isTerminal: Bool { self == .closed || self == .rejected || self == .cancelled }

    /// States in which a reviewer concludes with pass / fail / back.
    public var isReview: Bool {
        switch self {
        case .firstReview, .secondReview, .officeReview, .finalReview, .expertReview, .investigation: true
        default: false
        }
    }

    /// Where a case of this source starts on the server: a member's claim arrives ready for
    /// first review (the accepting agency completes the costs there); the others start as drafts.
    public static func initial(for source: CaseSource) -> CaseState {
        source == .memberApp ? .firstReview : .draft
    }
}

/// Where a case was filed (案件来源).
public enum CaseSource: String, Codable, Sendable, CaseIterable {
    case office
    case unit
    case memberApp = "member-app"

    public var chineseName: String {
        switch self {
        case .office: "办事处受理"
        case .unit: "单位端"
        case .memberApp: "会员端申请"
        }
    }
}

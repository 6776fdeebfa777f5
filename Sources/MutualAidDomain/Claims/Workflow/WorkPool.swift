/// Work pools (工作池, DOMAIN §6): which cases wait at which step, and the tabs of a pool.
public enum PoolStep: String, Codable, Sendable, CaseIterable {
    case accept
    case costEntry = "cost-entry"
    case firstReview = "first-review"
    case secondReview = "second-review"
    case officeReview = "office-review"
    case finalReview = "final-review"
    case expertReview = "expert-review"
    case investigation
    case archive, push, payment
    case cardChange = "card-change"

    /// The state a case is in while it waits at this step.
    public var state: CaseState {
        switch self {
        case .accept: .draft
        case .costEntry: .accepted
        case .firstReview: .firstReview
        case .secondReview: .secondReview
        case .officeReview: .officeReview
        case .finalReview: .finalReview
        case .expertReview: .expertReview
        case .investigation: .investigation
        case .archive: .pendingArchive
        case .push: .pendingPush
        case .payment: .pendingPayment
        case .cardChange: .paymentFailed
        }
    }

    public var chineseName: String {
        switch self {
        case .accept: "申领受理"
        case .costEntry: "费用录入"
        case .firstReview: "申领初审"
        case .secondReview: "申领复审"
        case .officeReview: "办事处审核"
        case .finalReview: "申领终审"
        case .expertReview: "专家审核"
        case .investigation: "调查处理"
        case .archive: "材料归档"
        case .push: "申领推送"
        case .payment: "支付"
        case .cardChange: "卡号修改"
        }
    }
}

public enum PoolTab: String, Codable, Sendable, CaseIterable {
    case pending
    case inProgress = "in-progress"
    case suspended

    public var chineseName: String {
        switch self {
        case .pending: "待处理"
        case .inProgress: "处理中"
        case .suspended: "悬挂中"
        }
    }

    /// Which tab a case at a step shows under: suspended cases under the step they left,
    /// acquired ones as in progress.
    public static func of(state: CaseState, suspendedFrom: CaseState?, holder: String?, step: PoolStep) -> PoolTab? {
        if state == .suspended { return suspendedFrom == step.state ? .suspended : nil }
        guard state == step.state else { return nil }
        return holder == nil ? .pending : .inProgress
    }
}

/// A reviewer's conclusion (处理意见).
public enum ReviewDecision: String, Codable, Sendable, CaseIterable {
    case pass, fail, back

    public var chineseName: String {
        switch self {
        case .pass: "通过"
        case .fail: "不通过"
        case .back: "退回"
        }
    }
}

/// Where the archived materials are kept (归档方式).
public enum ArchiveMode: String, Codable, Hashable, Sendable, CaseIterable {
    case online, offline
}

/// Everything that can be done to a case. Notes and the step's own data (archive number,
/// payment reference, the materials to supplement) travel with the action so the trail and
/// the record keep them.
public enum CaseAction: Codable, Hashable, Sendable {
    case acceptCase
    case submitCosts
    case review(decision: ReviewDecision, note: String?)
    case routeToExpert(note: String?)
    case routeToInvestigation(note: String?)
    case requestFinalReview(note: String?)
    case suspend(note: String)
    case resume
    case requestSupplement(items: [String], note: String)
    case resubmit
    case archive(number: String, mode: ArchiveMode, note: String?)
    case push
    case pay(reference: String)
    /// The bank's result file says the transfer failed; `reason` is the bank's (失败原因).
    case paymentFailed(reason: String)
    case cancel(note: String)

    /// The step name as the process trail and messages show it.
    public var chineseName: String {
        switch self {
        case .acceptCase: "申领受理"
        case .submitCosts: "费用录入"
        case .review(let decision, _): "审核\(decision.chineseName)"
        case .routeToExpert: "转专家审核"
        case .routeToInvestigation: "转调查处理"
        case .requestFinalReview: "进入终审"
        case .suspend: "悬挂"
        case .resume: "取消悬挂"
        case .requestSupplement: "发起补材"
        case .resubmit: "补材提交"
        case .archive: "材料归档"
        case .push: "申领推送"
        case .pay: "支付结案"
        case .paymentFailed: "支付失败"
        case .cancel: "申领撤销"
        }
    }

    public var note: String? {
        switch self {
        case .review(_, let note), .routeToExpert(let note), .routeToInvestigation(let note),
            .requestFinalReview(let note), .archive(_, _, let note):
            note
        case .suspend(let note), .requestSupplement(_, let note), .cancel(let note), .paymentFailed(let note):
            note
        case .acceptCase, .submitCosts, .resume, .resubmit, .push, .pay:
            nil
        }
    }
}

/// Work pools of the enrolment pipeline and of unit registration review (DOMAIN §4, §6): which
/// step an application or a registration waits at, and who does that step. The manual's
/// enrolment and registration pools have no suspended tab (待处理 and 处理中 only).
public enum EnrolmentPoolStep: String, Codable, Sendable, CaseIterable {
    case firstReview = "enrolment-first-review"
    case secondReview = "enrolment-second-review"
    case finalReview = "enrolment-final-review"
    case invoicing
    case paymentCheck = "payment-check"
    case archive = "enrolment-archive"
    /// Review of a unit registration (注册审核).
    case registration

    /// The application state that waits at this step; nil for the registration pool.
    public var state: EnrolmentState? {
        switch self {
        case .firstReview: .firstReview
        case .secondReview: .secondReview
        case .finalReview: .finalReview
        case .invoicing: .invoicing
        case .paymentCheck: .paymentCheck
        case .archive: .confirmed
        case .registration: nil
        }
    }

    public var chineseName: String {
        switch self {
        case .firstReview: "参保初审"
        case .secondReview: "参保复审"
        case .finalReview: "参保终审"
        case .invoicing: "开票录入"
        case .paymentCheck: "到账确认"
        case .archive: "确认书归档"
        case .registration: "注册审核"
        }
    }

    /// What the pool holds.
    public var subject: WorkSubject { self == .registration ? .registration : .enrolment }

    /// The step an application in `state` waits at, if any.
    public static func waiting(_ state: EnrolmentState) -> EnrolmentPoolStep? {
        allCases.first { $0.state == state }
    }

    /// The step a unit registration in `state` waits at: review while it is submitted.
    public static func waiting(registration state: String) -> EnrolmentPoolStep? {
        state == "submitted" ? .registration : nil
    }

    /// Whether the actor does this step, the same duty the step's decision requires.
    public func isHeld(by actor: EnrolmentActor) -> Bool {
        let agent = actor.role == .agent
        switch self {
        case .firstReview: return agent
        case .secondReview: return (agent && actor.level == .city) || actor.role == .office
        case .finalReview: return actor.role == .office
        case .invoicing: return actor.role == .unit || agent || actor.role == .office
        case .paymentCheck: return actor.role == .finance
        case .archive, .registration: return agent || actor.role == .office
        }
    }

    /// Says who does the step, for refusal messages.
    public var holders: String {
        switch self {
        case .firstReview: "县级或市级代办机构"
        case .secondReview: "市级代办机构或办事处"
        case .finalReview: "办事处"
        case .invoicing: "参保单位、代办机构或办事处"
        case .paymentCheck: "财务"
        case .archive, .registration: "代办机构或办事处"
        }
    }
}

/// Who holds (获取) an item of a pool: until they finish its step or release it, nobody else
/// takes it or decides it.
public struct PoolHolder: Hashable, Sendable {
    public var login: String
    public var name: String
    public init(login: String, name: String) {
        self.login = login
        self.name = name
    }
}

public enum PoolHolding {
    /// The tab of an item waiting at its step; items of these pools are never suspended.
    public static func tab(holder: String?) -> PoolTab { holder == nil ? .pending : .inProgress }

    /// Acquiring: the item must wait at a step the actor does, within their subtree, and not be
    /// held by someone else. Acquiring what one already holds is no change.
    public static func checkAcquire(
        at step: EnrolmentPoolStep?, stateName: String, holder: PoolHolder?, by login: String, _ actor: EnrolmentActor
    ) throws(RuleViolation) {
        guard actor.inSubtree else { throw RuleViolation(field: "actor", message: "该业务不在您的管辖范围内") }
        guard let step else {
            throw RuleViolation(field: "state", message: "当前为「\(stateName)」，不在任何工作池中，无需获取")
        }
        guard step.isHeld(by: actor) else {
            throw RuleViolation(field: "actor", message: "「\(step.chineseName)」工作池只能由\(step.holders)获取")
        }
        try checkDecision(holder: holder, by: login)
    }

    /// A step's decision on an item someone else holds is refused; an unheld item may be
    /// decided directly.
    public static func checkDecision(holder: PoolHolder?, by login: String) throws(RuleViolation) {
        if let holder, holder.login != login {
            throw RuleViolation(field: "holder", message: "由 \(holder.name)（\(holder.login)）处理中，请先由其释放")
        }
    }

    public static func checkRelease(holder: PoolHolder?, by login: String) throws(RuleViolation) {
        guard holder?.login == login else { throw RuleViolation(field: "holder", message: "您没有获取该业务，无需释放") }
    }
}

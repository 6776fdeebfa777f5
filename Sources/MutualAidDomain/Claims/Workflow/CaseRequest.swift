import Foundation

/// A staff request on a case, as pushed in a `case_action` record: the work-pool and payee
/// requests, or a step of the case workflow (`CaseAction`, whose rules live in `CaseWorkflow`).
/// A new staff step is one `CaseAction` case, its rule in the state machine and its wire name
/// in `CaseAction.wireName`.
public enum CaseRequest: Codable, Hashable, Sendable {
    case acquire
    case release
    case calculate
    case restrict(note: String?)
    case cardChange(bankAccount: String, bankName: String, note: String?)
    case supplementaryPayment(note: String?)
    case workflow(CaseAction)

    /// The `action` field of the record.
    public var wireName: String {
        switch self {
        case .acquire: "acquire"
        case .release: "release"
        case .calculate: "calculate"
        case .restrict: "restrict"
        case .cardChange: "card-change"
        case .supplementaryPayment: "supplementary-payment"
        case .workflow(let action): action.wireName
        }
    }
}

extension CaseAction {
    /// The `action` field of a `case_action` record. Acceptance and resubmission are not staff
    /// requests on an existing case (they change the claim itself), so they have no record.
    public var wireName: String {
        switch self {
        case .acceptCase: "accept"
        case .submitCosts: "submit-costs"
        case .review: "review"
        case .routeToExpert: "expert"
        case .routeToInvestigation: "investigation"
        case .requestFinalReview: "final-review"
        case .suspend: "suspend"
        case .resume: "resume"
        case .requestSupplement: "supplement"
        case .resubmit: "resubmit"
        case .archive: "archive"
        case .push: "push"
        case .pay: "pay"
        case .paymentFailed: "payment-failed"
        case .cancel: "cancel"
        }
    }
}

// MARK: - The `case_action` record

extension CaseRequest {
    /// The fields of the pushed `case_action` record. Their names and shapes are the wire
    /// format that queued records of older clients already have; `init(fields:)` reads both.
    public func fields(claimId: String) -> FieldMap {
        var f: FieldMap = ["claimId": .string(claimId), "action": .string(wireName)]
        func put(_ key: String, _ value: String?) { if let value { f[key] = .string(value) } }
        switch self {
        case .acquire, .release, .calculate:
            break
        case .restrict(let note), .supplementaryPayment(let note):
            put("note", note)
        case .cardChange(let account, let bank, let note):
            put("note", note)
            put("bankAccount", account)
            put("bankName", bank)
        case .workflow(let action):
            switch action {
            case .review(let decision, let note):
                put("decision", decision.rawValue)
                put("note", note)
            case .requestSupplement(let items, let note):
                put("note", note)
                put("items", ClaimDraft.encodeStandardIds(items))
            case .archive(let number, let mode, let note):
                put("note", note)
                put("archiveNumber", number)
                put("archiveMode", mode.rawValue)
            case .pay(let reference):
                put("reference", reference)
            default:
                put("note", action.note)
            }
        }
        return f
    }

    /// The request a `case_action` record carries (its `claimId` is read by the caller), or
    /// the reason it cannot be done as sent.
    public init(fields f: FieldMap) throws(RuleViolation) {
        let name = f["action"]?.stringValue ?? ""
        let note = f["note"]?.stringValue
        func text(_ key: String) -> String? { f[key]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
        switch name {
        case "acquire": self = .acquire
        case "release": self = .release
        case "calculate": self = .calculate
        case "restrict": self = .restrict(note: note)
        case "card-change":
            guard let account = text("bankAccount"), let bank = text("bankName") else {
                throw RuleViolation(field: "bankAccount", message: "请填写新的银行账号和开户银行")
            }
            self = .cardChange(bankAccount: account, bankName: bank, note: note)
        case "supplementary-payment": self = .supplementaryPayment(note: note)
        case "submit-costs": self = .workflow(.submitCosts)
        case "review":
            // Documented as an unknown action (sync-protocol §15.2), so the answer stays that.
            guard let decision = f["decision"]?.stringValue.flatMap(ReviewDecision.init(rawValue:)) else {
                throw RuleViolation(field: "action", message: "不认识的案件操作：review")
            }
            self = .workflow(.review(decision: decision, note: note))
        case "expert": self = .workflow(.routeToExpert(note: note))
        case "investigation": self = .workflow(.routeToInvestigation(note: note))
        case "final-review": self = .workflow(.requestFinalReview(note: note))
        case "suspend": self = .workflow(.suspend(note: note ?? ""))
        case "resume": self = .workflow(.resume)
        case "supplement":
            // The material list is checked against the claim type's checklist where it is known.
            guard let items = JSONText.decode([String].self, f["items"]?.stringValue ?? "[]") else {
                throw RuleViolation(field: "items", message: "请指定要补充的材料项（须是该申领类型材料清单中的项目）")
            }
            self = .workflow(.requestSupplement(items: items, note: note ?? ""))
        case "archive":
            guard let number = text("archiveNumber") else {
                throw RuleViolation(field: "archiveNumber", message: "归档须填写档案号")
            }
            guard let mode = ArchiveMode(rawValue: text("archiveMode") ?? ArchiveMode.online.rawValue) else {
                throw RuleViolation(field: "archiveMode", message: "归档方式只能是线上（online）或线下（offline）")
            }
            self = .workflow(.archive(number: number, mode: mode, note: note))
        case "push": self = .workflow(.push)
        case "pay":
            guard let reference = text("reference") else {
                throw RuleViolation(field: "reference", message: "支付须填写支付流水号")
            }
            self = .workflow(.pay(reference: reference))
        case "payment-failed":
            // The reason travels as the note; the state machine says when it is missing.
            self = .workflow(.paymentFailed(reason: note ?? ""))
        case "cancel": self = .workflow(.cancel(note: note ?? ""))
        default:
            throw RuleViolation(field: "action", message: "不认识的案件操作：\(name.prefix(30))")
        }
    }
}

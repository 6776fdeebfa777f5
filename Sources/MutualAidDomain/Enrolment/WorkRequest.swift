import Foundation

/// What a `work_action` record is about.
public enum WorkSubject: String, Codable, Hashable, Sendable {
    case registration, unit, enrolment
}

/// A staff decision on a registration, a unit or an enrolment application. The enrolment
/// steps are the state machine's own `EnrolmentAction` (rules in `EnrolmentWorkflow`); fees,
/// invoices and letter printing are data entry beside it.
public enum WorkAction: Codable, Hashable, Sendable {
    case reviewRegistration(pass: Bool, note: String?)
    /// Merges the unit `from` into the record's subject unit.
    case mergeUnit(from: String)
    case enrolment(EnrolmentAction)
    case setFees(activityId: String, subsidy: Money, gift: Money, split: FeeSplit)
    case addInvoice(activityId: String, Invoice)
    case printLetter
    /// Takes the subject (a registration or an application) from its work pool, or puts it back.
    case acquire(WorkSubject)
    case release(WorkSubject)

    public var subject: WorkSubject {
        switch self {
        case .reviewRegistration: .registration
        case .mergeUnit: .unit
        case .enrolment, .setFees, .addInvoice, .printLetter: .enrolment
        case .acquire(let subject), .release(let subject): subject
        }
    }

    /// The `action` field of the record. Submission and the end of invoicing are not staff
    /// requests (the application's own push and the server do them), so they have no record.
    public var wireName: String {
        switch self {
        case .reviewRegistration: "review"
        case .mergeUnit: "merge"
        case .setFees: "fees"
        case .addInvoice: "invoice"
        case .printLetter: "print"
        case .acquire: "acquire"
        case .release: "release"
        case .enrolment(let step):
            switch step {
            case .submit: "submit"
            case .firstReview: "first-review"
            case .secondReview: "second-review"
            case .finalReview: "final-review"
            case .invoicingDone: "invoicing-done"
            case .confirmPayment: "confirm-payment"
            case .returnPayment: "return-payment"
            case .archive: "archive"
            case .cancel: "cancel"
            }
        }
    }
}

/// A pushed `work_action` record: the subject's id and the decision.
public struct WorkRequest: Codable, Hashable, Sendable {
    public var subjectId: String
    public var action: WorkAction

    public init(subjectId: String, action: WorkAction) {
        self.subjectId = subjectId
        self.action = action
    }

    public var subject: WorkSubject { action.subject }
}

extension WorkAction {
    /// The reviewer's note the decision carries, if any.
    public var note: String? {
        switch self {
        case .reviewRegistration(_, let note): note
        case .enrolment(let step):
            switch step {
            case .firstReview(_, let note, _), .finalReview(_, let note), .archive(_, let note),
                .confirmPayment(let note):
                note
            case .secondReview(_, _, let note), .returnPayment(let note), .cancel(let note): note
            case .submit, .invoicingDone: nil
            }
        case .mergeUnit, .setFees, .addInvoice, .printLetter, .acquire, .release: nil
        }
    }
}

import Foundation
import GRDB
import MutualAidDomain

/// Staff decisions on registrations, units and enrolment applications (reviews, unit merge,
/// fee split and invoices, payment arrival, archive, cancellation, letter printing). Each is a
/// `work_action` through the outbox (offline-safe, exactly once); where the rule is pure and
/// the data is here, it is checked before queuing.
extension MemberClient {
    /// Records a staff decision on a registration, a unit or an enrolment application (by its
    /// number or its letter's) and, unless offline, syncs at once; a refusal fails with its reason.
    public func perform(_ action: WorkAction, on reference: String, online: Bool = true) async throws -> ActionOutcome {
        if let note = action.note, note.count > EnrolmentWorkflow.noteLimit {
            throw ClientError.invalidInput(
                RuleViolation(field: "note", message: "意见不能超过\(EnrolmentWorkflow.noteLimit)个字"))
        }
        switch action {
        case .reviewRegistration(false, let note) where (note ?? "").isEmpty:
            throw ClientError.invalidInput(RuleViolation(field: "note", message: "不通过时请用 --note 写明原因"))
        case .setFees(let activityId, let subsidy, let gift, let split):
            try checkFees(reference, activityId) { (fees: inout ActivityFees) throws(RuleViolation) in
                try Invoicing.setSplit(&fees, subsidy: subsidy, gift: gift, split: split)
            }
        case .addInvoice(let activityId, let invoice):
            try checkFees(reference, activityId) { (fees: inout ActivityFees) throws(RuleViolation) in
                try Invoicing.add(invoice, to: &fees)
            }
        default:
            break
        }
        let change = try database.write { db -> String in
            _ = try self.staffAccount(db, roles: [.unit, .agent, .office, .finance], what: "该业务")
            let subjectId = action.subject == .enrolment ? try self.resolveApplication(db, reference) : reference
            return try LocalEdit.insert(
                db, self.database.table(.workAction), id: UUID().uuidString.lowercased(),
                fields: WorkRequest(subjectId: subjectId, action: action).fields)
        }
        return try await settle([change], online: online)
    }

    /// Runs a pure invoicing rule on the fees this client holds, so a split that does not add
    /// up is refused before anything is queued.
    private func checkFees(
        _ reference: String, _ activityId: String, _ rule: (inout ActivityFees) throws(RuleViolation) -> Void
    ) throws {
        var entry = try database.read { db -> ActivityFees in
            let id = try self.resolveApplication(db, reference)
            let f = try self.database.table(.enrolmentApplication).load(db, id: id)?.fields ?? [:]
            let fees = JSONText.decode([ActivityFees].self, f["fees"]?.stringValue) ?? []
            guard let entry = fees.first(where: { $0.activityId == activityId }) else {
                throw ClientError.invalidInput(
                    RuleViolation(field: "activity", message: "该参保申请中没有保障活动 \(activityId.prefix(40))，或尚未提交审核"))
            }
            return entry
        }
        do throws(RuleViolation) { try rule(&entry) } catch { throw ClientError.invalidInput(error) }
    }

    /// An amount typed by staff: not negative, at most two decimals.
    public static func money(_ text: String) throws -> Money {
        guard let m = Money(text), m >= .zero else {
            throw ClientError.invalidInput(RuleViolation(field: "amount", message: "金额格式应为不小于0、最多两位小数的数字，例如 175.00"))
        }
        return m
    }
}

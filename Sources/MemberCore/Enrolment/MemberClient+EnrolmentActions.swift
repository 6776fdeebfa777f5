import Foundation
import GRDB
import MutualAidDomain

/// Staff steps on an enrolment application: reviews, fee split and invoices, payment arrival,
/// archive, cancellation. Each is a `work_action` through the outbox (offline-safe, exactly
/// once); where the rule is pure and the data is here, it is checked before queuing.
extension MemberClient {
    public enum ReviewStage: String, Sendable, CaseIterable { case first, second, final }

    public func reviewEnrolment(_ reference: String, stage: ReviewStage, pass: Bool, note: String?,
                                effectiveDate: String? = nil, toFinal: Bool = false, online: Bool = true) async throws -> ActionOutcome {
        var data: [String: FieldValue] = [:]
        if let effectiveDate {
            guard stage == .first, CalendarDate(effectiveDate) != nil else {
                throw ClientError.invalidInput(RuleViolation(field: "effectiveDate", message: "指定生效日只在初审时填写，格式 YYYY-MM-DD"))
            }
            data["effectiveDate"] = .string(effectiveDate)
        }
        if stage == .second { data["toFinal"] = .bool(toFinal) }
        return try await work(reference, action: "\(stage.rawValue)-review", decision: pass ? "pass" : "fail", note: note,
                              data: data, online: online)
    }

    /// Subsidy, gifted cover and the fee-source split of one activity; must add up to the payable amount.
    public func setFees(_ reference: String, activityId: String, subsidy: String, gift: String, union: String, admin: String,
                        selfPaid: String, online: Bool = true) async throws -> ActionOutcome {
        let amounts = try [subsidy, gift, union, admin, selfPaid].map { try Self.money($0) }
        try checkFees(reference, activityId) { (fees: inout ActivityFees) throws(RuleViolation) in
            try Invoicing.setSplit(&fees, subsidy: amounts[0], gift: amounts[1],
                                   split: FeeSplit(unionFunds: amounts[2], adminFunds: amounts[3], selfPaid: amounts[4]))
        }
        return try await work(reference, action: "fees", note: nil, data: [
            "activityId": .string(activityId), "subsidy": .string(amounts[0].description), "gift": .string(amounts[1].description),
            "union": .string(amounts[2].description), "admin": .string(amounts[3].description), "self": .string(amounts[4].description),
        ], online: online)
    }

    public func addInvoice(_ reference: String, activityId: String, _ invoice: Invoice, online: Bool = true) async throws -> ActionOutcome {
        try checkFees(reference, activityId) { (fees: inout ActivityFees) throws(RuleViolation) in try Invoicing.add(invoice, to: &fees) }
        return try await work(reference, action: "invoice", note: nil, data: [
            "activityId": .string(activityId), "batch": .string(invoice.batch), "feeSource": .string(invoice.feeSource.rawValue),
            "title": .string(invoice.title), "taxNumber": .string(invoice.taxNumber), "amount": .string(invoice.amount.description),
        ], online: online)
    }

    public func confirmPayment(_ reference: String, confirm: Bool, note: String?, online: Bool = true) async throws -> ActionOutcome {
        try await work(reference, action: confirm ? "confirm-payment" : "return-payment", note: note, online: online)
    }

    public func archiveEnrolment(_ reference: String, pass: Bool, note: String?, online: Bool = true) async throws -> ActionOutcome {
        try await work(reference, action: "archive", decision: pass ? "pass" : "fail", note: note, online: online)
    }

    public func cancelEnrolment(_ reference: String, note: String, online: Bool = true) async throws -> ActionOutcome {
        try await work(reference, action: "cancel", note: note, online: online)
    }

    func work(_ reference: String, subject: String = "enrolment", action: String, decision: String? = nil, note: String?,
              data: [String: FieldValue] = [:], online: Bool) async throws -> ActionOutcome {
        if let note, note.count > EnrolmentWorkflow.noteLimit {
            throw ClientError.invalidInput(RuleViolation(field: "note", message: "意见不能超过\(EnrolmentWorkflow.noteLimit)个字"))
        }
        let change = try database.write { db -> String in
            _ = try self.staffAccount(db, roles: [.unit, .agent, .office, .finance], what: "该业务")
            let subjectId = subject == "enrolment" ? try self.resolveApplication(db, reference) : reference
            return try LocalEdit.insert(db, self.database.table(.workAction), id: UUID().uuidString.lowercased(), fields: [
                "subject": .string(subject), "subjectId": .string(subjectId), "action": .string(action),
                "decision": decision.map(FieldValue.string) ?? .null, "note": note.map(FieldValue.string) ?? .null,
                "data": .string(JSONText.encode(data)),
            ])
        }
        return try await settle([change], online: online)
    }

    /// Runs a pure invoicing rule on the fees this client holds, so a split that does not add
    /// up is refused before anything is queued.
    private func checkFees(_ reference: String, _ activityId: String, _ rule: (inout ActivityFees) throws(RuleViolation) -> Void) throws {
        var entry = try database.read { db -> ActivityFees in
            let id = try self.resolveApplication(db, reference)
            let f = try self.database.table(.enrolmentApplication).load(db, id: id)?.fields ?? [:]
            let fees = JSONText.decode([ActivityFees].self, f["fees"]?.stringValue) ?? []
            guard let entry = fees.first(where: { $0.activityId == activityId }) else {
                throw ClientError.invalidInput(RuleViolation(field: "activity", message: "该参保申请中没有保障活动 \(activityId.prefix(40))，或尚未提交审核"))
            }
            return entry
        }
        do throws(RuleViolation) { try rule(&entry) } catch { throw ClientError.invalidInput(error) }
    }

    static func money(_ text: String) throws -> Money {
        guard let m = Money(text), m >= .zero else {
            throw ClientError.invalidInput(RuleViolation(field: "amount", message: "金额格式应为不小于0、最多两位小数的数字，例如 175.00"))
        }
        return m
    }
}

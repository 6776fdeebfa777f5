import Foundation
import MutualAidDomain
import SyncStorage

/// Staff actions on a case, arriving as pushed `case_action` records. Each is checked by the
/// shared state machine and applied in the push's transaction; a refusal is the change's
/// answer, so an offline action that lost a race comes back to its client with the reason.
enum CaseActions {
    static func perform(_ db: any SQLConnection, _ f: FieldMap, by principal: Principal, now: Date) throws
        -> RuleViolation?
    {
        guard principal.role != .member else { return RuleViolation(field: "role", message: "会员不能办理案件") }
        guard let claimId = f["claimId"]?.stringValue, var c = try CaseRecord.load(db, id: claimId),
            c.actor(principal).caseInSubtree
        else { return ServerTables.notFound }
        let request: CaseRequest
        do throws(RuleViolation) { request = try CaseRequest(fields: f) } catch { return error }
        let holder = c.text("holderLogin")
        func requireHolder() -> RuleViolation? {
            if holder == principal.login { return nil }
            if let holder {
                return RuleViolation(
                    field: "holder", message: "该案件已由\(c.text("holderName") ?? "")（\(holder)）获取，请选择其他案件")
            }
            return RuleViolation(field: "holder", message: "请先获取该案件（member-cli case acquire）")
        }
        switch request {
        case .acquire:
            guard CaseWorkflow.canHandle(c.snapshot, by: c.actor(principal)) else {
                return RuleViolation(field: "state", message: "您不能办理处于「\(c.state.chineseName)」的案件")
            }
            if let holder, holder != principal.login { return requireHolder() }
            try c.commit(
                ["holderLogin": .string(principal.login), "holderName": .string(principal.name)],
                trail: nil, by: principal.name, now: now, db)
        case .release:
            guard holder == principal.login else { return RuleViolation(field: "holder", message: "您没有获取该案件，无需释放") }
            try c.commit(["holderLogin": .null, "holderName": .null], trail: nil, by: principal.name, now: now, db)
        case .calculate:
            if let v = requireHolder() { return v }
            return try CaseCalculation.run(db, &c, by: principal, now: now)
        case .restrict(let note):
            return try Restrictions.mark(db, &c, note: note, by: principal, now: now)
        case .cardChange(let account, let bank, let note):
            return try PayeeChanges.changeCard(
                db, &c, account: account, bank: bank, note: note, by: principal, now: now)
        case .supplementaryPayment(let note):
            return try PayeeChanges.supplementaryPayment(db, c, note: note, by: principal, now: now)
        case .workflow(.acceptCase), .workflow(.resubmit):
            // Acceptance and resubmission change the claim itself; the decoder never yields them.
            return RuleViolation(field: "action", message: "不认识的案件操作：\(request.wireName)")
        case .workflow(let action):
            if CaseWorkflow.requiresHolding(action), let v = requireHolder() { return v }
            return try transition(db, &c, action, by: principal, now: now)
        }
        return nil
    }

    static func transition(
        _ db: any SQLConnection, _ c: inout CaseRecord, _ action: CaseAction,
        by principal: Principal, now: Date
    ) throws -> RuleViolation? {
        var extra = FieldMap()
        switch action {
        case .archive(let number, let mode, let note):
            extra = [
                "archiveNumber": .string(number), "archiveNote": note.map(FieldValue.string) ?? .null,
                "archiveMode": .string(mode.rawValue),
            ]
        case .pay(let reference):
            extra = [
                "paymentReference": .string(reference), "paidAt": .string(Timestamp.format(now)),
                "paymentFailure": .null,
            ]
        case .paymentFailed(let reason):
            extra = ["paymentFailure": .string(reason)]
        case .requestSupplement(let items, let note):
            let known = Set(
                try db.fetchValues(
                    String.self,
                    sql: "SELECT item FROM material_item WHERE claim_type = ?",
                    arguments: [c.text("claimType")]))
            guard !items.isEmpty, Set(items).isSubset(of: known) else {
                return RuleViolation(field: "items", message: "请指定要补充的材料项（须是该申领类型材料清单中的项目）")
            }
            extra = [
                "supplementItems": .string(SupplementRequest(items: items, returnTo: c.state.rawValue, note: note).json)
            ]
        default:
            break
        }
        if CostEntry.recalculates(before: action) {
            // The workflow's own refusal (state, duty, note) comes first; a missing amount is
            // what the calculation is about to supply.
            do { _ = try CaseWorkflow.apply(action, to: c.snapshot, by: c.actor(principal)) } catch
                where error.field != "amount"
            {
                return error
            } catch {}
            if let v = try CaseCalculation.recompute(db, &c, before: action, by: principal, now: now) { return v }
        }
        let transition: Transition
        do {
            transition = try CaseWorkflow.apply(action, to: c.snapshot, by: c.actor(principal))
        } catch {
            return error
        }
        let next = transition.snapshot
        var changes: FieldMap = [
            "state": .string(next.state.rawValue),
            "suspendedFrom": next.suspendedFrom.map { .string($0.rawValue) } ?? .null,
            "detourFrom": next.detourFrom.map { .string($0.rawValue) } ?? .null,
            "officeReviewed": .int(next.officeReviewed ? 1 : 0),
            // The step is done: the case goes back to a pool for whoever does the next one.
            "holderLogin": .null, "holderName": .null,
        ]
        if next.supplementFrom == nil { changes["supplementItems"] = .null }
        changes.merge(extra) { _, new in new }
        try c.commit(changes, trail: (transition.step, transition.note), by: principal.name, now: now, db)
        try MessageBox.caseStep(db, c, transition, now: now)
        return nil
    }
}

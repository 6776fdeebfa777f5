import Foundation
import MutualAidDomain
import SyncStorage

/// Staff decisions on an enrolment application, arriving as `work_action` records with
/// subject "enrolment". Each runs through the shared state machine in the push's transaction.
enum EnrolmentActions {
    static func perform(_ db: any SQLConnection, _ request: WorkRequest, by principal: Principal, now: Date) throws
        -> RuleViolation?
    {
        guard var app = try ApplicationRecord.load(db, id: request.subjectId), app.actor(principal).inSubtree else {
            return ServerTables.notFound
        }
        do {
            if Self.decidesStep(request.action) {
                try PoolHolding.checkDecision(holder: PoolHolds.holder(app.fields), by: principal.login)
            }
            switch request.action {
            case .enrolment(.firstReview(let pass, let note, let date)):
                var extra: FieldMap = [:]
                if let date {
                    guard date > CalendarDate.today(in: CalendarDate.chinaTimeZone, now: now) else {
                        return RuleViolation(field: "effectiveDate", message: "指定生效日须是今天以后的日期（YYYY-MM-DD）")
                    }
                    extra["fixedEffectiveDate"] = .string(date.description)
                }
                try app.apply(.firstReview(pass: pass, note: note), extra: extra, by: principal, now: now, db)
            case .enrolment(.confirmPayment):
                try EnrolmentConfirmation.confirm(db, &app, by: principal, now: now)
            case .enrolment(.returnPayment(let note)):
                var fees = app.fees
                for i in fees.indices { fees[i].invoices = [] }
                try app.apply(
                    .returnPayment(note: note), extra: ["fees": FieldValue.json(fees)], by: principal, now: now, db)
            case .enrolment(.archive(let pass, let note)):
                try app.apply(
                    .archive(pass: pass, note: note), extra: ["archiveNote": note.map(FieldValue.string) ?? .null],
                    by: principal, now: now, db)
            case .enrolment(.submit), .enrolment(.invoicingDone):
                // The application's own push and the last invoice do these; the decoder never yields them.
                return RuleViolation(field: "action", message: "不认识的参保操作：\(request.action.wireName)")
            case .enrolment(let step):
                try app.apply(step, by: principal, now: now, db)
            case .setFees(let activityId, let subsidy, let gift, let split):
                // Nothing to invoice (a change that only removes persons, a fully subsidised
                // activity): the split alone completes invoicing.
                return try invoicing(
                    db, &app, activityId: activityId, by: principal, now: now,
                    completes: true
                ) { fees throws(RuleViolation) in
                    try Invoicing.setSplit(&fees, subsidy: subsidy, gift: gift, split: split)
                    return ("费用来源", "\(fees.activityName)：应交 \(fees.payable) 元")
                }
            case .addInvoice(let activityId, let invoice):
                return try invoicing(
                    db, &app, activityId: activityId, by: principal, now: now,
                    completes: true
                ) { fees throws(RuleViolation) in
                    try Invoicing.add(invoice, to: &fees)
                    return ("开票录入", "\(fees.activityName)：发票 \(invoice.amount) 元，剩余 \(fees.remaining) 元")
                }
            case .printLetter:
                guard app.state == .confirmed || app.state == .archived else {
                    return RuleViolation(field: "state", message: "参保申请尚未确认，还没有确认书")
                }
                try app.commit(
                    ["printCount": .int(Int64(app.int("printCount") + 1))], trail: nil, by: principal.name, now: now, db
                )
            case .reviewRegistration, .mergeUnit, .acquire, .release:
                return RuleViolation(field: "subject", message: "不认识的业务类别")
            }
        } catch let violation as RuleViolation {
            return violation
        }
        return nil
    }

    /// The decisions of a pool's step, which someone else's hold blocks; cancelling and letter
    /// printing are not a step's work.
    static func decidesStep(_ action: WorkAction) -> Bool {
        switch action {
        case .enrolment(.cancel), .printLetter: false
        default: true
        }
    }

    /// Fee split and invoices (开票录入) while the application waits for them: `entry` changes
    /// one activity's fees and names the trail step; an invoice that `completes` the amounts
    /// ends invoicing.
    static func invoicing(
        _ db: any SQLConnection, _ app: inout ApplicationRecord, activityId: String, by principal: Principal, now: Date,
        completes: Bool,
        _ entry: (inout ActivityFees) throws(RuleViolation) -> (step: String, note: String?)
    ) throws -> RuleViolation? {
        guard app.state == .invoicing else {
            return RuleViolation(field: "state", message: "参保申请当前为「\(app.state.chineseName)」，不能录入开票信息")
        }
        guard EnrolmentPoolStep.invoicing.isHeld(by: app.actor(principal)) else {
            return RuleViolation(field: "actor", message: "开票录入由参保单位、代办机构或办事处办理")
        }
        var fees = app.fees
        guard let i = fees.firstIndex(where: { $0.activityId == activityId }) else {
            return RuleViolation(field: "activityId", message: "请指定参保申请中的保障活动")
        }
        let trail = try entry(&fees[i])
        try app.commit(["fees": FieldValue.json(fees)], trail: trail, by: principal.name, now: now, db)
        if completes && Invoicing.isComplete(fees) {
            try app.apply(.invoicingDone, by: principal, now: now, db)
        }
        return nil
    }
}

import Foundation
import GRDB
import MutualAidDomain

/// Staff decisions on an enrolment application, arriving as `work_action` records with
/// subject "enrolment". Each runs through the shared state machine in the push's transaction.
enum EnrolmentActions {
    static func perform(_ db: Database, _ action: WorkActionFields, by principal: Principal, now: Date) throws -> RuleViolation? {
        guard var app = try ApplicationRecord.load(db, id: action.subjectId), app.actor(principal).inSubtree else {
            return ServerTables.notFound
        }
        let pass = action.decision == "pass"
        if ["first-review", "second-review", "final-review", "archive"].contains(action.name),
           action.decision != "pass", action.decision != "fail" {
            return RuleViolation(field: "decision", message: "请给出审核结论：通过（pass）或不通过（fail）")
        }
        do {
            switch action.name {
            case "first-review":
                var extra: FieldMap = [:]
                if let text = action.string("effectiveDate") {
                    guard let date = CalendarDate(text), date > CalendarDate.today(in: CalendarDate.chinaTimeZone, now: now) else {
                        return RuleViolation(field: "effectiveDate", message: "指定生效日须是今天以后的日期（YYYY-MM-DD）")
                    }
                    extra["fixedEffectiveDate"] = .string(date.description)
                }
                try app.apply(.firstReview(pass: pass, note: action.note), extra: extra, by: principal, now: now, db)
            case "second-review":
                try app.apply(.secondReview(pass: pass, toFinal: action.bool("toFinal") ?? false, note: action.note ?? ""),
                              by: principal, now: now, db)
            case "final-review":
                try app.apply(.finalReview(pass: pass, note: action.note), by: principal, now: now, db)
            case "fees", "invoice":
                return try invoicing(db, &app, action, by: principal, now: now)
            case "confirm-payment":
                try EnrolmentConfirmation.confirm(db, &app, by: principal, now: now)
            case "return-payment":
                var fees = app.fees
                for i in fees.indices { fees[i].invoices = [] }
                try app.apply(.returnPayment(note: action.note ?? ""), extra: ["fees": FieldValue.json(fees)],
                              by: principal, now: now, db)
            case "archive":
                try app.apply(.archive(pass: pass, note: action.note), extra: ["archiveNote": action.note.map(FieldValue.string) ?? .null],
                              by: principal, now: now, db)
            case "cancel":
                try app.apply(.cancel(note: action.note ?? ""), by: principal, now: now, db)
            case "print":
                guard app.state == .confirmed || app.state == .archived else {
                    return RuleViolation(field: "state", message: "参保申请尚未确认，还没有确认书")
                }
                try app.commit(["printCount": .int(Int64(app.int("printCount") + 1))], trail: nil, by: principal.name, now: now, db)
            default:
                return RuleViolation(field: "action", message: "不认识的参保操作：\(action.name.prefix(30))")
            }
        } catch let violation as RuleViolation {
            return violation
        }
        return nil
    }

    /// Fee split and invoices (开票录入) while the application waits for them.
    static func invoicing(_ db: Database, _ app: inout ApplicationRecord, _ action: WorkActionFields,
                          by principal: Principal, now: Date) throws -> RuleViolation? {
        guard app.state == .invoicing else {
            return RuleViolation(field: "state", message: "参保申请当前为「\(app.state.chineseName)」，不能录入开票信息")
        }
        guard [.unit, .agent, .office].contains(principal.role) else {
            return RuleViolation(field: "actor", message: "开票录入由参保单位、代办机构或办事处办理")
        }
        var fees = app.fees
        guard let activityId = action.string("activityId"), let i = fees.firstIndex(where: { $0.activityId == activityId }) else {
            return RuleViolation(field: "activityId", message: "请指定参保申请中的保障活动")
        }
        func money(_ key: String) throws(RuleViolation) -> Money {
            guard let text = action.string(key) ?? (action.data[key] == nil ? "0" : nil), let m = Money(text) else {
                throw RuleViolation(field: key, message: "金额格式应为最多两位小数的数字")
            }
            return m
        }
        if action.name == "fees" {
            try Invoicing.setSplit(&fees[i], subsidy: money("subsidy"), gift: money("gift"),
                                   split: FeeSplit(unionFunds: money("union"), adminFunds: money("admin"), selfPaid: money("self")))
            try app.commit(["fees": FieldValue.json(fees)], trail: ("费用来源", "\(fees[i].activityName)：应交 \(fees[i].payable) 元"),
                           by: principal.name, now: now, db)
            return nil
        }
        guard let source = (action.string("feeSource")).flatMap(FeeSource.init(text:)) else {
            return RuleViolation(field: "feeSource", message: "费用来源须是 工会经费、行政经费 或 会员自付")
        }
        let invoice = Invoice(batch: action.string("batch") ?? "", feeSource: source, title: action.string("title") ?? "",
                              taxNumber: action.string("taxNumber") ?? "", amount: try money("amount"))
        try Invoicing.add(invoice, to: &fees[i])
        try app.commit(["fees": FieldValue.json(fees)],
                       trail: ("开票录入", "\(fees[i].activityName)：发票 \(invoice.amount) 元，剩余 \(fees[i].remaining) 元"),
                       by: principal.name, now: now, db)
        if Invoicing.isComplete(fees) {
            try app.apply(.invoicingDone, by: principal, now: now, db)
        }
        return nil
    }
}

import Foundation

// MARK: - The `work_action` record

extension WorkRequest {
    /// The fields of the pushed `work_action` record: subject, subjectId, action, decision,
    /// note and `data` (a JSON object with sorted keys). These names and shapes are the wire
    /// format that queued records of older clients already have; `init(fields:)` reads both.
    public var fields: FieldMap {
        var decision: Bool?
        var note: String?
        var data: FieldMap = [:]
        switch action {
        case .reviewRegistration(let pass, let text):
            decision = pass
            note = text
        case .mergeUnit(let from):
            data["from"] = .string(from)
        case .enrolment(let step):
            switch step {
            case .firstReview(let pass, let text, let date):
                decision = pass
                note = text
                if let date { data["effectiveDate"] = .string(date.description) }
            case .secondReview(let pass, let toFinal, let text):
                decision = pass
                note = text
                data["toFinal"] = .bool(toFinal)
            case .finalReview(let pass, let text), .archive(let pass, let text):
                decision = pass
                note = text
            case .confirmPayment(let text):
                note = text
            case .returnPayment(let text), .cancel(let text):
                note = text
            case .submit, .invoicingDone:
                break
            }
        case .setFees(let activityId, let subsidy, let gift, let split):
            data = [
                "activityId": .string(activityId), "subsidy": .string(subsidy.description),
                "gift": .string(gift.description),
                "union": .string(split.unionFunds.description), "admin": .string(split.adminFunds.description),
                "self": .string(split.selfPaid.description),
            ]
        case .addInvoice(let activityId, let invoice):
            data = [
                "activityId": .string(activityId), "batch": .string(invoice.batch),
                "feeSource": .string(invoice.feeSource.rawValue),
                "title": .string(invoice.title), "taxNumber": .string(invoice.taxNumber),
                "amount": .string(invoice.amount.description),
            ]
        case .printLetter, .acquire, .release:
            break
        }
        return [
            "subject": .string(subject.rawValue), "subjectId": .string(subjectId), "action": .string(action.wireName),
            "decision": decision.map { .string($0 ? "pass" : "fail") } ?? .null,
            "note": note.flatMap { $0.isEmpty ? nil : FieldValue.string($0) } ?? .null,
            "data": .string(JSONText.encode(data)),
        ]
    }

    /// The request a `work_action` record carries, or the reason it cannot be done as sent.
    /// An empty note is no note.
    public init(fields f: FieldMap) throws(RuleViolation) {
        let reader = try WorkFieldReader(f)
        subjectId = f["subjectId"]?.stringValue ?? ""
        let name = f["action"]?.stringValue ?? ""
        switch f["subject"]?.stringValue {
        case WorkSubject.registration.rawValue:
            switch name {
            case "acquire": action = .acquire(.registration)
            case "release": action = .release(.registration)
            case "review": action = .reviewRegistration(pass: try reader.decision(), note: reader.note)
            default: throw WorkFieldReader.noDecision
            }
        case WorkSubject.unit.rawValue:
            guard name == "merge" else { throw RuleViolation(field: "action", message: "不认识的单位操作") }
            guard let from = reader.string("from"), !from.isEmpty else {
                throw RuleViolation(field: "unitId", message: "要合并的两个单位须不同，且都在您的管辖范围内")
            }
            action = .mergeUnit(from: from)
        case WorkSubject.enrolment.rawValue:
            action = try reader.enrolment(name)
        default:
            throw RuleViolation(field: "subject", message: "不认识的业务类别")
        }
    }
}

/// Reads the decision, note and `data` of a `work_action` record as the server always has:
/// an empty note is no note, a missing amount is zero, a flag may be a boolean or 0/1.
struct WorkFieldReader {
    static let noDecision = RuleViolation(field: "decision", message: "请给出审核结论：通过（pass）或不通过（fail）")
    let decisionText: String?
    let note: String?
    let data: FieldMap

    init(_ f: FieldMap) throws(RuleViolation) {
        decisionText = f["decision"]?.stringValue
        note = f["note"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        switch f["data"] {
        case nil, .null?: data = [:]
        case .string(let text)?:
            guard let decoded = JSONText.decode(FieldMap.self, text) else {
                throw RuleViolation(field: "data", message: "操作数据应为 JSON 对象，请更新客户端后重试")
            }
            data = decoded
        default: throw RuleViolation(field: "data", message: "操作数据应为 JSON 对象，请更新客户端后重试")
        }
    }

    func decision() throws(RuleViolation) -> Bool {
        switch decisionText {
        case "pass": true
        case "fail": false
        default: throw Self.noDecision
        }
    }

    func string(_ key: String) -> String? { data[key]?.stringValue }

    func bool(_ key: String) -> Bool {
        switch data[key] {
        case .bool(let b)?: b
        case .int(let i)?: i != 0
        default: false
        }
    }

    func money(_ key: String) throws(RuleViolation) -> Money {
        guard let text = string(key) ?? (data[key] == nil ? "0" : nil), let m = Money(text) else {
            throw RuleViolation(field: key, message: "金额格式应为最多两位小数的数字")
        }
        return m
    }

    func activityId() throws(RuleViolation) -> String {
        guard let id = string("activityId"), !id.isEmpty else {
            throw RuleViolation(field: "activityId", message: "请指定参保申请中的保障活动")
        }
        return id
    }

    func enrolment(_ name: String) throws(RuleViolation) -> WorkAction {
        switch name {
        case "first-review":
            var date: CalendarDate?
            if let text = string("effectiveDate") {
                guard let parsed = CalendarDate(text) else {
                    throw RuleViolation(field: "effectiveDate", message: "指定生效日须是今天以后的日期（YYYY-MM-DD）")
                }
                date = parsed
            }
            return .enrolment(.firstReview(pass: try decision(), note: note, effectiveDate: date))
        case "second-review":
            return .enrolment(.secondReview(pass: try decision(), toFinal: bool("toFinal"), note: note ?? ""))
        case "final-review": return .enrolment(.finalReview(pass: try decision(), note: note))
        case "archive": return .enrolment(.archive(pass: try decision(), note: note))
        case "confirm-payment": return .enrolment(.confirmPayment(note: note))
        case "return-payment": return .enrolment(.returnPayment(note: note ?? ""))
        case "cancel": return .enrolment(.cancel(note: note ?? ""))
        case "print": return .printLetter
        case "acquire": return .acquire(.enrolment)
        case "release": return .release(.enrolment)
        case "fees":
            let activity = try activityId()
            return .setFees(
                activityId: activity, subsidy: try money("subsidy"), gift: try money("gift"),
                split: FeeSplit(
                    unionFunds: try money("union"), adminFunds: try money("admin"), selfPaid: try money("self")))
        case "invoice":
            let activity = try activityId()
            guard let source = string("feeSource").flatMap(FeeSource.init(text:)) else {
                throw RuleViolation(field: "feeSource", message: "费用来源须是 工会经费、行政经费 或 会员自付")
            }
            return .addInvoice(
                activityId: activity,
                Invoice(
                    batch: string("batch") ?? "", feeSource: source, title: string("title") ?? "",
                    taxNumber: string("taxNumber") ?? "", amount: try money("amount")))
        default:
            throw RuleViolation(field: "action", message: "不认识的参保操作：\(name.prefix(30))")
        }
    }
}

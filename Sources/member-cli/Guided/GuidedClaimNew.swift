import Foundation
import MemberCore
import MutualAidDomain

/// `claim new` at a terminal: enrolment, claim type and standards picked from the member's own
/// enrolments in the local replica, then the dates and facts that type needs, a summary, and
/// the draft saved only once confirmed. Whatever was given as options is used, not asked.
struct GuidedClaimNew {
    let client: MemberClient
    let given: ClaimInput
    let prompter = Prompter()

    func run() throws {
        let all = try client.enrolments()
        guard !all.isEmpty else {
            throw ClientError.invalidInput(
                RuleViolation(field: "enrolment", message: "本机没有参保记录。联网后运行 member-cli sync 获取，再新建申领"))
        }
        var input = given
        let enrolment = try pickEnrolment(all, input: input)
        input.enrolmentId = enrolment.id
        let type = try input.claimType ?? pickType(enrolment)
        input.claimType = type
        let offered = enrolment.standards.filter { $0.claimType == type.rawValue }
        if input.standardIds?.isEmpty ?? true {
            input.standardIds = try prompter.choices(
                "申领标准", offered.map { (text: "\($0.name)（\($0.id)）", value: $0.id) })
        }
        try askFacts(&input, type: type, period: Self.period(enrolment))
        let names = (input.standardIds ?? []).map { id in offered.first { $0.id == id }?.name ?? id }
        prompter.summary("请核对申领草稿", Self.rows(input, type: type, enrolment: enrolment, standards: names))
        guard try prompter.confirm("确认保存？") else { throw Prompter.cancelled }
        let saved = try client.newClaim(input)
        prompter.line("")
        ClaimOutput.print(saved, json: false, brief: true)
        let id = saved.id.prefix(8)
        prompter.line("已保存申领草稿（尚未提交）。下一步：")
        prompter.line("  member-cli claim payee \(id)     核对领款人和银行账户")
        prompter.line("  member-cli claim attach \(id)    添加材料")
        prompter.line("  member-cli claim submit \(id)    提交，联网后 member-cli sync 上传")
    }

    /// The enrolments offering what was given (type, standards, enrolment), newest first.
    private func pickEnrolment(_ all: [EnrolmentView], input: ClaimInput) throws -> EnrolmentView {
        let wanted = Set(input.standardIds ?? [])
        let fitting = all.filter { e in
            let offered = e.standards.filter { input.claimType == nil || $0.claimType == input.claimType?.rawValue }
            return (input.enrolmentId == nil || e.id == input.enrolmentId) && !offered.isEmpty
                && wanted.isSubset(of: Set(offered.map(\.id)))
        }
        guard !fitting.isEmpty else {
            throw ClientError.invalidInput(
                RuleViolation(field: "enrolment", message: "本机的参保记录中没有符合所给选项的申领标准（见 member-cli enrolments）"))
        }
        if input.enrolmentId != nil { return fitting[0] }
        return try prompter.choice(
            "参保记录",
            fitting.map { e in
                (
                    text:
                        "\(e.activity)\(e.renewal ? "（续保）" : "")  被保险人 \(e.insuredName)  保障期间 \(e.periodStart) 至 \(e.periodEnd)  \(e.unit)",
                    value: e
                )
            })
    }

    private func pickType(_ enrolment: EnrolmentView) throws -> ClaimType {
        let types = ClaimType.allCases.filter { t in enrolment.standards.contains { $0.claimType == t.rawValue } }
        return try prompter.choice("申领类型", types.map { (text: $0.chineseName, value: $0) })
    }

    /// Dates first (checked against today, the protection period and each other), then the
    /// hospital, diagnosis and note.
    private func askFacts(_ input: inout ClaimInput, type: ClaimType, period: ProtectionPeriod?) throws {
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
        if type.isHospitalStay {
            if input.admitted == nil {
                input.admitted = try prompter.date("入院日期", latest: today) { date in
                    Self.incidentProblem(date, period: period, today: today, field: "admitted")
                }?.description
            }
            if input.discharged == nil, let admitted = input.admitted.flatMap(CalendarDate.init) {
                input.discharged = try prompter.date("出院日期", latest: today, optional: true) { date in
                    date < admitted ? "出院日期不能早于入院日期（\(admitted)）" : nil
                }?.description
            }
            input.hospital = try input.hospital ?? prompter.text("就诊医院", check: Prompter.fits(100, "医院名称"))
            input.diagnosis = try input.diagnosis ?? prompter.text("主要诊断", check: Prompter.fits(200, "诊断"))
        } else {
            if input.incidentDate == nil {
                input.incidentDate = try prompter.date("出险日期", latest: today) { date in
                    Self.incidentProblem(date, period: period, today: today, field: "incidentDate")
                }?.description
            }
            input.hospital = try input.hospital ?? prompter.optionalText("就诊医院", check: Prompter.fits(100, "医院名称"))
            input.diagnosis = try input.diagnosis ?? prompter.optionalText("主要诊断", check: Prompter.fits(200, "诊断"))
        }
        input.note = try input.note ?? prompter.optionalText("申领说明", check: Prompter.fits(500, "申领说明"))
    }

    /// The same rule the draft is saved under, asked at the date so it is fixed there.
    private static func incidentProblem(
        _ date: CalendarDate, period: ProtectionPeriod?, today: CalendarDate, field: String
    ) -> String? {
        do throws(RuleViolation) {
            try ClaimDraftRules.checkIncident(date, period: period, today: today, field: field)
            return nil
        } catch {
            return error.message
        }
    }

    private static func period(_ e: EnrolmentView) -> ProtectionPeriod? {
        guard let start = CalendarDate(e.periodStart), let end = CalendarDate(e.periodEnd) else { return nil }
        return ProtectionPeriod(start: start, end: end)
    }

    private static func rows(_ input: ClaimInput, type: ClaimType, enrolment e: EnrolmentView, standards: [String])
        -> [(String, String?)]
    {
        var rows: [(String, String?)] = [
            ("参保记录", "\(e.activity)（\(e.periodStart) 至 \(e.periodEnd)）"),
            ("被保险人", e.insuredName),
            ("申领类型", type.chineseName),
            ("申领标准", standards.joined(separator: "、")),
        ]
        if type.isHospitalStay {
            rows += [("入院日期", input.admitted), ("出院日期", input.discharged)]
        } else {
            rows.append(("出险日期", input.incidentDate))
        }
        rows += [("就诊医院", input.hospital), ("主要诊断", input.diagnosis)]
        if let note = input.note { rows.append(("申领说明", note)) }
        return rows
    }
}

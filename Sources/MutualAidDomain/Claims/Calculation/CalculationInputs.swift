/// The calculation's inputs read from synced records, the same way on the server (which
/// stores the result) and on clients (which show it as an estimate offline).
public enum CalculationInputs {
    static func money(_ f: FieldMap, _ key: String) -> Money? { f[key]?.stringValue.flatMap(Money.init) }
    static func int(_ f: FieldMap, _ key: String) -> Int? { if case .int(let i) = f[key] { Int(i) } else { nil } }
    static func date(_ f: FieldMap, _ key: String) -> CalendarDate? { f[key]?.stringValue.flatMap(CalendarDate.init) }

    /// A `claim_standard` record.
    public static func standard(id: String, _ f: FieldMap) -> ClaimStandard? {
        guard let type = f["claimType"]?.stringValue.flatMap(ClaimType.init(rawValue:)),
            let method = f["method"]?.stringValue.flatMap(BenefitMethod.init(rawValue:))
        else { return nil }
        return ClaimStandard(
            id: id, activityId: f["activityId"]?.stringValue ?? "", claimType: type,
            name: f["name"]?.stringValue ?? id, method: method, ratioBasisPoints: int(f, "ratioBp"),
            amount: money(f, "amount"), cap: money(f, "cap"), waitingDays: int(f, "waitingDays") ?? 0,
            observationDays: int(f, "observationDays") ?? 0, consolation: money(f, "consolation"))
    }

    /// A `settlement_sheet` record; nil until its dates are entered.
    public static func sheet(_ f: FieldMap) -> SettlementSheet? {
        guard let admitted = date(f, "admitted"), let discharged = date(f, "discharged") else { return nil }
        return SettlementSheet(
            hospital: f["hospital"]?.stringValue ?? "", hospitalLevel: f["hospitalLevel"]?.stringValue,
            insuranceType: f["insuranceType"]?.stringValue, sheetNumber: f["sheetNumber"]?.stringValue,
            admitted: admitted, discharged: discharged, total: money(f, "total"),
            inScope: money(f, "inScope") ?? .zero, pooled: money(f, "pooled") ?? .zero,
            deductible: money(f, "deductible") ?? .zero, largeAmount: money(f, "largeAmount") ?? .zero,
            partialSelfPay: money(f, "partialSelfPay"), fullSelfPay: money(f, "fullSelfPay"),
            overLimitSelfPay: money(f, "overLimitSelfPay"), personalAccount: money(f, "personalAccount"),
            cash: money(f, "cash"), personalBurden: money(f, "personalBurden"), outOfArea: int(f, "outOfArea") == 1,
            thirdParty: money(f, "thirdParty"), civilServantSubsidy: money(f, "civilServantSubsidy"))
    }

    /// The facts of a claim from its record, its enrolment record, its settlement sheets and
    /// the catalogue's disability grade table.
    public static func facts(
        claim: FieldMap, enrolment: FieldMap?, sheets: [FieldMap], grades: [DisabilityGrade],
        filingDate: CalendarDate
    ) throws(RuleViolation) -> ClaimFacts {
        let draft = ClaimDraft(fields: claim)
        guard let claimType = draft.claimType, let enrolment,
            let start = date(enrolment, "periodStart"), let end = date(enrolment, "periodEnd")
        else {
            throw RuleViolation(field: "enrolment", message: "案件缺少参保记录或申领类型，不能计算")
        }
        guard let incident = draft.eventDate else {
            throw RuleViolation(field: "incidentDate", message: "请先录入出险信息（入院日期或出险日期）")
        }
        return ClaimFacts(
            claimType: claimType, incidentDate: incident, admitted: draft.admitted, discharged: draft.discharged,
            settlementSheets: sheets.compactMap(sheet),
            disabilityRatioBasisPoints: try CostEntry.disabilityRatio(claim: claim, grades: grades),
            filingDate: filingDate, period: ProtectionPeriod(start: start, end: end),
            shares: int(enrolment, "shares") ?? 1, isRenewalWithin15Days: int(enrolment, "renewal") == 1)
    }
}

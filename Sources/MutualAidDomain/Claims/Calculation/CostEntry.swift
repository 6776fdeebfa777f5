/// Cost entry (费用录入, DOMAIN §5 step 3): which claim fields only staff fill in, where the
/// disability ratio comes from, and which inputs the calculated amount depends on. Shared so
/// the server enforces and the client shows the same rules.
public enum CostEntry {
    /// Claim fields of cost entry that a member's filing never carries: staff enter them.
    /// (Settlement sheets, the other part of cost entry, are a staff-only table.)
    public static let staffClaimFields: Set<String> = [
        "insuredStatus", "disabilityItem", "disabilityGrade", "disabilityRatioBp", "disabilityRatioReason",
    ]

    /// Claim fields the amount is calculated from; a change to any of them voids the amount.
    public static let claimInputs = [
        "claimType", "enrolmentId", "standardIds", "admitted", "discharged", "incidentDate",
        "disabilityGrade", "disabilityRatioBp",
    ]

    public static let memberRefusal = "伤残等级、给付比例、被保险人状态等费用录入信息由经办人员填写，会员不能填写或修改"
    public static let sheetRefusal = "医保结算单属于费用录入，由受理或审核的经办人员录入，会员不能录入或修改"

    /// The payout ratio of a claim's disability, in basis points: an explicit ratio staff entered
    /// with a reason (the manual's 未定级 40%), else the grade's row of the catalogue's table;
    /// nil when neither is entered. A ratio equal to its grade's row needs no reason: earlier
    /// clients filled the ratio from the grade themselves.
    public static func disabilityRatio(claim: FieldMap, grades: [DisabilityGrade]) throws(RuleViolation) -> Int? {
        let grade = CalculationInputs.int(claim, "disabilityGrade")
        if let explicit = CalculationInputs.int(claim, "disabilityRatioBp") {
            let reason = claim["disabilityRatioReason"]?.stringValue ?? ""
            let tableRatio = grade.flatMap { g in grades.first { $0.grade == g }?.ratioBasisPoints }
            guard !reason.allSatisfy(\.isWhitespace) || explicit == tableRatio else {
                throw RuleViolation(
                    field: "disabilityRatioReason",
                    message: "直接填写伤残给付比例须同时说明理由（如：未定级，按40%给付）；已定级的请只填伤残等级")
            }
            guard (1...10_000).contains(explicit) else {
                throw RuleViolation(field: "disabilityRatioBp", message: "伤残给付比例应在0.01%至100.00%之间")
            }
            return explicit
        }
        guard let grade else { return nil }
        guard !grades.isEmpty else {
            throw RuleViolation(field: "disabilityGrade", message: "伤残等级表尚未维护，请联系管理员；或直接填写给付比例并说明理由")
        }
        guard let row = grades.first(where: { $0.grade == grade }) else {
            let known = grades.map(\.grade).sorted()
            throw RuleViolation(
                field: "disabilityGrade",
                message: "伤残等级表中没有\(grade)级，请填写\(known.first ?? 1)至\(known.last ?? 10)级")
        }
        return row.ratioBasisPoints
    }

    /// A digest of everything a calculation reads: the claim's input fields, its enrolment,
    /// sheets and standards, and the disability ratio in force. Equal digests give equal results
    /// (the filing date is the claim's fixed acceptance date), so the server keeps the digest of
    /// the inputs its amount came from and voids the amount when they no longer match.
    public static func inputsDigest(
        claim: FieldMap, enrolment: FieldMap?, sheets: [String: FieldMap],
        standards: [String: FieldMap], grades: [DisabilityGrade]
    ) -> String {
        var all = FieldMap()
        for key in claimInputs { all["claim." + key] = claim[key] ?? .null }
        for (key, value) in enrolment ?? [:] { all["enrolment." + key] = value }
        for (id, fields) in sheets { for (key, value) in fields { all["sheet.\(id).\(key)"] = value } }
        for (id, fields) in standards { for (key, value) in fields { all["standard.\(id).\(key)"] = value } }
        do {
            all["disabilityRatio"] = try disabilityRatio(claim: claim, grades: grades).map { .int(Int64($0)) } ?? .null
        } catch {
            all["disabilityRatio"] = .string("invalid: " + error.message)
        }
        return RecordDigest.hash(all)
    }
}

extension CalculationInputs {
    /// A `disability_grade` record.
    public static func grade(_ f: FieldMap) -> DisabilityGrade? {
        guard let grade = int(f, "grade"), let ratio = int(f, "ratioBp") else { return nil }
        return DisabilityGrade(itemName: f["name"]?.stringValue ?? "\(grade)级", grade: grade, ratioBasisPoints: ratio)
    }

    /// The fields of a `disability_grade` record.
    public static func fields(_ grade: DisabilityGrade) -> FieldMap {
        [
            "grade": .int(Int64(grade.grade)), "name": .string(grade.itemName),
            "ratioBp": .int(Int64(grade.ratioBasisPoints)),
        ]
    }
}

extension CostEntry {
    /// Steps that rely on the amount (submitting the costs, passing a review at any level,
    /// pushing to finance): the server calculates again before each and refuses the step when
    /// it cannot, so what moves on is always the figure of the current inputs.
    public static func recalculates(before action: CaseAction) -> Bool {
        switch action {
        case .submitCosts, .push: true
        case .review(let decision, _): decision == .pass
        default: false
        }
    }
}

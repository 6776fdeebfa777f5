/// The tables that sync, field by field. Column names follow the field names in snake case.
extension SyncTable {
    public static let profile = SyncTable(
        name: "profile",
        fields: [
            SyncField("name", .text(maxLength: 50), .server, sensitive: true),
            SyncField("mobile", .mobile, .client, sensitive: true),
            SyncField("bankAccount", .bankAccount, .client, sensitive: true),
            SyncField("bankName", .bankName, .client),
        ], audience: .memberOnly)

    /// Enrolment records (参保记录) of confirmed enrolments; the server writes every field.
    public static let enrolment = SyncTable(
        name: "enrolment",
        fields: [
            SyncField("memberId", .text(maxLength: 64), .server),
            SyncField("unitName", .text(maxLength: 100), .server),
            SyncField("insuredName", .text(maxLength: 50), .server, sensitive: true),
            SyncField("relation", .text(maxLength: 20), .server),
            SyncField("idNumber", .idNumber, .server, sensitive: true),
            SyncField("activityId", .text(maxLength: 64), .server),
            SyncField("activityName", .text(maxLength: 100), .server),
            SyncField("periodStart", .date, .server),
            SyncField("periodEnd", .date, .server),
            SyncField("shares", .integer, .server),
            SyncField("fee", .money, .server),
            SyncField("renewal", .integer, .server),
        ], audience: .memberRecords)

    public static let claimStandard = SyncTable(
        name: "claim_standard",
        fields: [
            SyncField("activityId", .text(maxLength: 64), .server),
            SyncField("claimType", .text(maxLength: 40), .server),
            SyncField("name", .text(maxLength: 100), .server),
            SyncField("method", .text(maxLength: 40), .server),
            SyncField("ratioBp", .integer, .server),
            SyncField("amount", .money, .server),
            SyncField("cap", .money, .server),
            SyncField("waitingDays", .integer, .server),
            SyncField("observationDays", .integer, .server),
            SyncField("consolation", .money, .server),
        ], audience: .everyone)

    /// The material checklist per claim type (材料清单).
    public static let materialItem = SyncTable(
        name: "material_item",
        fields: [
            SyncField("claimType", .text(maxLength: 40), .server),
            SyncField("item", .text(maxLength: 40), .server),
            SyncField("name", .text(maxLength: 100), .server),
            SyncField("required", .integer, .server),
            SyncField("maxCount", .integer, .server),
            SyncField("sortOrder", .integer, .server),
        ], audience: .everyone)

    /// A claim (申领): the member writes the draft; the server owns number, state and amount.
    public static let claim = SyncTable(
        name: "claim",
        fields: [
            SyncField("claimType", .text(maxLength: 40), .client),
            SyncField("enrolmentId", .text(maxLength: 64), .client),
            SyncField("standardIds", .json, .client),
            SyncField("admitted", .date, .client),
            SyncField("discharged", .date, .client),
            SyncField("incidentDate", .date, .client),
            SyncField("hospital", .text(maxLength: 100), .client),
            SyncField("diagnosis", .text(maxLength: 200), .client, sensitive: true),
            SyncField("note", .text(maxLength: 500), .client),
            SyncField("payeeRelation", .text(maxLength: 20), .client),
            SyncField("payeeName", .text(maxLength: 50), .client, sensitive: true),
            SyncField("payeeMobile", .mobile, .client, sensitive: true),
            SyncField("payeeBankAccount", .bankAccount, .client, sensitive: true),
            SyncField("payeeBankName", .bankName, .client),
            /// Raised by each `claim submit`; the server handles every new value once.
            SyncField("submission", .integer, .client, nullable: false),
            SyncField("memberId", .text(maxLength: 64), .server),
            SyncField("caseNumber", .text(maxLength: 40), .server),
            SyncField("state", .text(maxLength: 40), .server),
            SyncField("source", .text(maxLength: 20), .server),
            SyncField("amount", .money, .server),
            SyncField("acceptedAt", .text(maxLength: 40), .server),
            SyncField("supplementItems", .json, .server),
            SyncField("handledSubmission", .integer, .server),
            // Cost entry (费用录入) by staff: the incident beyond the dates.
            SyncField("insuredStatus", .text(maxLength: 20), .client),
            SyncField("disabilityItem", .text(maxLength: 100), .client),
            SyncField("disabilityGrade", .integer, .client),
            SyncField("disabilityRatioBp", .integer, .client),
            SyncField("disabilityRatioReason", .text(maxLength: 200), .client),
            // The workflow, written only by the server.
            SyncField("holderLogin", .text(maxLength: 64), .server, audience: .staff),
            SyncField("holderName", .text(maxLength: 50), .server),
            SyncField("acceptedBy", .text(maxLength: 64), .server),
            SyncField("restricted", .integer, .server, audience: .staff),
            SyncField("officeReviewed", .integer, .server),
            SyncField("suspendedFrom", .text(maxLength: 40), .server),
            SyncField("detourFrom", .text(maxLength: 40), .server),
            SyncField("stepStartedAt", .text(maxLength: 40), .server),
            SyncField("archiveNumber", .text(maxLength: 64), .server),
            SyncField("archiveNote", .text(maxLength: 500), .server),
            SyncField("archiveMode", .text(maxLength: 20), .server),
            SyncField("paymentReference", .text(maxLength: 64), .server),
            SyncField("paidAt", .text(maxLength: 40), .server),
            SyncField("linkedCase", .text(maxLength: 64), .server),
            /// The bank's reason of a failed payment, until the card is changed (申领付款).
            SyncField("paymentFailure", .text(maxLength: 200), .server),
        ], audience: .memberRecords, clientCreates: true)

    /// Medical-insurance settlement sheets (医保结算单) entered by staff during cost entry.
    public static let settlementSheet = SyncTable(
        name: "settlement_sheet",
        fields: [
            SyncField("claimId", .text(maxLength: 64), .client),
            SyncField("hospital", .text(maxLength: 100), .client),
            SyncField("hospitalLevel", .text(maxLength: 20), .client),
            SyncField("insuranceType", .text(maxLength: 20), .client),
            SyncField("sheetNumber", .text(maxLength: 64), .client),
            SyncField("admitted", .date, .client),
            SyncField("discharged", .date, .client),
            SyncField("total", .money, .client),
            SyncField("inScope", .money, .client),
            SyncField("pooled", .money, .client),
            SyncField("deductible", .money, .client),
            SyncField("largeAmount", .money, .client),
            SyncField("partialSelfPay", .money, .client),
            SyncField("fullSelfPay", .money, .client),
            SyncField("overLimitSelfPay", .money, .client),
            SyncField("personalAccount", .money, .client),
            SyncField("cash", .money, .client),
            SyncField("personalBurden", .money, .client),
            SyncField("outOfArea", .integer, .client),
            SyncField("thirdParty", .money, .client),
            SyncField("civilServantSubsidy", .money, .client),
        ], audience: .memberRecords, clientCreates: true)

    /// The benefit table (申领计算) of a claim, as the server last calculated it.
    public static let benefitLine = SyncTable(
        name: "benefit_line",
        fields: [
            SyncField("claimId", .text(maxLength: 64), .server),
            SyncField("standardId", .text(maxLength: 64), .server),
            SyncField("standardName", .text(maxLength: 100), .server),
            SyncField("baseAmount", .money, .server),
            SyncField("baseDays", .integer, .server),
            SyncField("shares", .integer, .server),
            SyncField("ratioBp", .integer, .server),
            SyncField("benefit", .money, .server),
            SyncField("note", .text(maxLength: 200), .server),
        ], audience: .memberRecords)

    /// A staff action on a case (acquire, review, archive, push, pay …), pushed like any
    /// change so it works offline and crosses exactly once; refused ones come back with a reason.
    public static let caseAction = SyncTable(
        name: "case_action",
        fields: [
            SyncField("claimId", .text(maxLength: 64), .client),
            SyncField("action", .text(maxLength: 40), .client),
            SyncField("decision", .text(maxLength: 10), .client),
            SyncField("note", .text(maxLength: 1000), .client),
            SyncField("items", .json, .client),
            SyncField("archiveNumber", .text(maxLength: 64), .client),
            SyncField("archiveMode", .text(maxLength: 20), .client),
            SyncField("reference", .text(maxLength: 64), .client),
            SyncField("bankAccount", .bankAccount, .client, sensitive: true),
            SyncField("bankName", .bankName, .client),
        ], audience: .writeOnly, clientCreates: true)

    public static let claimMaterial = SyncTable(
        name: "claim_material",
        fields: [
            SyncField("claimId", .text(maxLength: 64), .client),
            SyncField("item", .text(maxLength: 40), .client),
            SyncField("sha256", .text(maxLength: 64), .client),
            SyncField("bytes", .integer, .client),
            SyncField("contentType", .text(maxLength: 40), .client),
            SyncField("verified", .integer, .server),
        ], audience: .memberRecords, clientCreates: true)

    /// The process trail (流程轨迹) of a claim.
    public static let claimTrail = SyncTable(
        name: "claim_trail",
        fields: [
            SyncField("claimId", .text(maxLength: 64), .server),
            SyncField("step", .text(maxLength: 40), .server),
            SyncField("state", .text(maxLength: 40), .server),
            SyncField("note", .text(maxLength: 1000), .server),
            SyncField("operator", .text(maxLength: 64), .server),
            SyncField("at", .text(maxLength: 40), .server),
            SyncField("durationSeconds", .integer, .server),
        ], audience: .memberRecords)
}

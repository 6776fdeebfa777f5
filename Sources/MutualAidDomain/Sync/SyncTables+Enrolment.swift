/// The synced tables of units and enrolment (DOMAIN §3, §4).
extension SyncTable {
    /// The activity catalogue (保障活动), for entry offline.
    public static let activity = SyncTable(
        name: "activity",
        fields: [
            SyncField("name", .text(maxLength: 100), .server),
            SyncField("subtype", .text(maxLength: 50), .server),
            SyncField("fee", .money, .server),
            SyncField("minEnrolmentRatePct", .integer, .server),
        ], audience: .everyone)

    /// A registered unit (参保单位); agents maintain it (信息维护).
    public static let unit = SyncTable(
        name: "unit",
        fields: [
            SyncField("name", .text(maxLength: 100), .client),
            SyncField("nature", .text(maxLength: 20), .client),
            SyncField("certType", .text(maxLength: 40), .client),
            SyncField("certExpiry", .date, .client),
            SyncField("code", .text(maxLength: 18), .client),
            SyncField("unionName", .text(maxLength: 100), .client),
            SyncField("unionCode", .text(maxLength: 18), .client),
            SyncField("industry", .text(maxLength: 50), .client),
            SyncField("parentUnit", .text(maxLength: 100), .client),
            SyncField("region", .text(maxLength: 60), .client),
            SyncField("address", .text(maxLength: 200), .client),
            SyncField("classified", .integer, .client),
            SyncField("agencyId", .text(maxLength: 64), .server),
            SyncField("agencyName", .text(maxLength: 100), .server),
            SyncField("state", .text(maxLength: 20), .server),
            SyncField("mergedInto", .text(maxLength: 64), .server),
            SyncField("login", .text(maxLength: 64), .server),
        ], audience: .memberRecords)

    /// Contacts of a unit (联系人), each valid or not (是否有效).
    public static let unitContact = SyncTable(
        name: "unit_contact",
        fields: [
            SyncField("unitId", .text(maxLength: 64), .client),
            SyncField("name", .text(maxLength: 50), .client, sensitive: true),
            SyncField("position", .text(maxLength: 50), .client),
            SyncField("officePhone", .text(maxLength: 20), .client),
            SyncField("mobile", .mobile, .client, sensitive: true),
            SyncField("email", .text(maxLength: 100), .client),
            SyncField("valid", .integer, .client, nullable: false),
        ], audience: .memberRecords, clientCreates: true)

    /// A registration waiting for (or done with) an agent's review; arrives through
    /// `PUT /v1/registrations/{id}`, so the unit needs no account to send it.
    public static let unitRegistration = SyncTable(
        name: "unit_registration",
        fields: [
            SyncField("officeId", .text(maxLength: 64), .server),
            SyncField("agencyId", .text(maxLength: 64), .server),
            SyncField("agencyName", .text(maxLength: 100), .server),
            SyncField("name", .text(maxLength: 100), .server),
            SyncField("nature", .text(maxLength: 20), .server),
            SyncField("certType", .text(maxLength: 40), .server),
            SyncField("certExpiry", .date, .server),
            SyncField("code", .text(maxLength: 18), .server),
            SyncField("unionName", .text(maxLength: 100), .server),
            SyncField("unionCode", .text(maxLength: 18), .server),
            SyncField("industry", .text(maxLength: 50), .server),
            SyncField("parentUnit", .text(maxLength: 100), .server),
            SyncField("region", .text(maxLength: 60), .server),
            SyncField("address", .text(maxLength: 200), .server),
            SyncField("classified", .integer, .server),
            SyncField("contactName", .text(maxLength: 50), .server, sensitive: true),
            SyncField("position", .text(maxLength: 50), .server),
            SyncField("officePhone", .text(maxLength: 20), .server),
            SyncField("mobile", .mobile, .server, sensitive: true),
            SyncField("email", .text(maxLength: 100), .server),
            SyncField("licenceSha256", .text(maxLength: 64), .server),
            SyncField("unionCertSha256", .text(maxLength: 64), .server),
            SyncField("source", .text(maxLength: 10), .server),
            SyncField("state", .text(maxLength: 20), .server),
            SyncField("reviewNote", .text(maxLength: 200), .server),
            SyncField("reviewer", .text(maxLength: 64), .server),
            SyncField("unitId", .text(maxLength: 64), .server),
            SyncField("login", .text(maxLength: 64), .server),
            SyncField("submittedAt", .text(maxLength: 40), .server),
            SyncField("holderLogin", .text(maxLength: 64), .server),
            SyncField("holderName", .text(maxLength: 50), .server),
        ], audience: .memberRecords)

    /// A staff decision on a registration, unit or enrolment (approve, review, invoice,
    /// confirm …): pushed through the outbox like `case_action`, performed once on arrival.
    public static let workAction = SyncTable(
        name: "work_action",
        fields: [
            SyncField("subject", .text(maxLength: 20), .client),
            SyncField("subjectId", .text(maxLength: 64), .client),
            SyncField("action", .text(maxLength: 40), .client),
            SyncField("decision", .text(maxLength: 10), .client),
            SyncField("note", .text(maxLength: 200), .client),
            SyncField("data", .json, .client),
        ], audience: .writeOnly, clientCreates: true)

    /// An enrolment application (参保申请): the unit enters it offline; the server owns the
    /// workflow, the fees and the confirmation letter.
    public static let enrolmentApplication = SyncTable(
        name: "enrolment_application",
        fields: [
            SyncField("unitId", .text(maxLength: 64), .client),
            SyncField("lines", .json, .client),
            SyncField("newEmployment", .integer, .client),
            SyncField("employees", .integer, .client),
            SyncField("women", .integer, .client),
            SyncField("highRisk", .integer, .client),
            SyncField("applicationDate", .date, .client),
            /// Raised by each `enrolment submit`; the server handles every new value once.
            SyncField("submission", .integer, .client, nullable: false),
            /// Set on a change application (增减员): the confirmed application it changes.
            SyncField("originalId", .text(maxLength: 64), .client),
            SyncField("handledSubmission", .integer, .server),
            SyncField("state", .text(maxLength: 20), .server),
            SyncField("unitName", .text(maxLength: 100), .server),
            SyncField("agencyId", .text(maxLength: 64), .server),
            SyncField("agencyName", .text(maxLength: 100), .server),
            SyncField("summary", .json, .server),
            SyncField("checks", .json, .server),
            SyncField("fees", .json, .server),
            SyncField("fixedEffectiveDate", .date, .server),
            SyncField("periodStart", .date, .server),
            SyncField("periodEnd", .date, .server),
            SyncField("letterNumber", .text(maxLength: 24), .server),
            SyncField("confirmedAt", .text(maxLength: 40), .server),
            SyncField("printCount", .integer, .server),
            SyncField("archiveNote", .text(maxLength: 200), .server),
            /// Who acquired it from its step's work pool (获取); cleared when it moves on.
            SyncField("holderLogin", .text(maxLength: 64), .server),
            SyncField("holderName", .text(maxLength: 50), .server),
        ], audience: .memberRecords, clientCreates: true)

    /// One insured person of an application's activity list.
    public static let enrolmentPerson = SyncTable(
        name: "enrolment_person",
        fields: [
            SyncField("applicationId", .text(maxLength: 64), .client),
            SyncField("activityId", .text(maxLength: 64), .client),
            SyncField("importId", .text(maxLength: 64), .client),
            SyncField("rowNumber", .integer, .client),
            SyncField("name", .text(maxLength: 50), .client, sensitive: true),
            SyncField("idNumber", .idNumber, .client, sensitive: true),
            SyncField("mobile", .mobile, .client, sensitive: true),
            /// 1 on a change application's row that ends this person's cover (减员).
            SyncField("removal", .integer, .client),
        ], audience: .memberRecords, clientCreates: true)

    /// One list import (导入记录): file, counts, and the failed rows with their reasons.
    public static let enrolmentImport = SyncTable(
        name: "enrolment_import",
        fields: [
            SyncField("applicationId", .text(maxLength: 64), .client),
            SyncField("activityId", .text(maxLength: 64), .client),
            SyncField("fileName", .text(maxLength: 200), .client),
            SyncField("total", .integer, .client),
            SyncField("succeeded", .integer, .client),
            SyncField("failedCount", .integer, .client),
            /// The first failures (row and reason); the clerk's file of failed rows has them all.
            SyncField("failed", .json, .client),
            SyncField("importedAt", .text(maxLength: 40), .client),
        ], audience: .memberRecords, clientCreates: true)

    /// The process trail (流程轨迹) of an application.
    public static let enrolmentTrail = SyncTable(
        name: "enrolment_trail",
        fields: [
            SyncField("applicationId", .text(maxLength: 64), .server),
            SyncField("step", .text(maxLength: 40), .server),
            SyncField("state", .text(maxLength: 40), .server),
            SyncField("note", .text(maxLength: 200), .server),
            SyncField("operator", .text(maxLength: 64), .server),
            SyncField("at", .text(maxLength: 40), .server),
        ], audience: .memberRecords)

    static let enrolmentTables: [SyncTable] = [
        .activity, .unit, .unitContact, .unitRegistration, .workAction,
        .enrolmentApplication, .enrolmentPerson, .enrolmentImport, .enrolmentTrail,
    ]
}

import Foundation
import MutualAidDomain
import SyncProtocol

/// 活动管理 and 申领材料 (the office). Online: the catalogue changes for everyone at once, and
/// every device receives it at its next sync. Input is checked here with the server's own
/// `CatalogueRules`, so a mistake is named before anything is sent.
extension MemberClient {
    /// A later rule of a claim standard (the office): `ratio` in percent ("75", "72.5"); what is
    /// not given stays as the rule in force on `effectiveFrom`.
    public func addStandardVersion(
        standardId: String, effectiveFrom: String, ratio: String?, amount: String?, cap: String?,
        waitingDays: Int? = nil, observationDays: Int? = nil, consolation: String? = nil
    ) async throws -> StandardVersionResponse {
        guard CalendarDate(effectiveFrom) != nil else {
            throw ClientError.invalidInput(RuleViolation(field: "effectiveFrom", message: "生效日期应为有效的日期 YYYY-MM-DD"))
        }
        let ratioBp = try Self.basisPoints(ratio)
        _ = try Self.money(amount, "amount")
        _ = try Self.money(cap, "cap")
        _ = try Self.money(consolation, "consolation")
        return try await api().post(
            "/v1/catalogue/standards/\(try Self.pathSegment(standardId))/versions",
            StandardVersionRequest(
                effectiveFrom: effectiveFrom, ratioBp: ratioBp, amount: amount, cap: cap, waitingDays: waitingDays,
                observationDays: observationDays, consolation: consolation),
            as: StandardVersionResponse.self)
    }

    /// A new protection activity; its standards are added with `addStandard`.
    public func addActivity(id: String, name: String, subtype: String, fee: String, minRatePercent: Int)
        async throws -> String
    {
        let activity = ProtectionActivity(
            id: id, name: name, subtype: subtype, fee: try Self.money(fee, "fee") ?? .zero,
            minEnrolmentRatePercent: minRatePercent, standards: [])
        if let v = CatalogueRules.check(activity: activity) { throw ClientError.invalidInput(v) }
        return try await api().post(
            "/v1/catalogue/activities",
            NewActivityRequest(id: id, name: name, subtype: subtype, fee: fee, minEnrolmentRatePercent: minRatePercent),
            as: CatalogueChangeResponse.self
        ).id
    }

    public func changeActivity(id: String, _ change: ActivityChangeRequest) async throws -> String {
        if let v = CatalogueRules.checkNames(name: change.name, subtype: change.subtype)
            ?? change.minEnrolmentRatePercent.flatMap(CatalogueRules.checkMinRate)
        {
            throw ClientError.invalidInput(v)
        }
        return try await api().patch(
            "/v1/catalogue/activities/\(try Self.pathSegment(id))", change, as: CatalogueChangeResponse.self
        ).id
    }

    /// A new claim standard of an activity; `ratio` in percent replaces `request.ratioBp`.
    public func addStandard(activityId: String, ratio: String?, _ request: NewStandardRequest) async throws -> String {
        var request = request
        request.ratioBp = try Self.basisPoints(ratio)
        guard let type = ClaimType(rawValue: request.claimType) else {
            throw ClientError.invalidInput(RuleViolation(field: "claimType", message: "没有这种申领类型"))
        }
        guard let method = BenefitMethod(rawValue: request.method) else {
            throw ClientError.invalidInput(
                RuleViolation(field: "method", message: "给付方式应为 medical-ratio、daily-allowance、fixed 或 disability-ratio")
            )
        }
        let standard = ClaimStandard(
            id: request.id, activityId: activityId, claimType: type, name: request.name, method: method,
            ratioBasisPoints: request.ratioBp, amount: try Self.money(request.amount, "amount"),
            cap: try Self.money(request.cap, "cap"), waitingDays: request.waitingDays ?? 0,
            observationDays: request.observationDays ?? 0,
            consolation: try Self.money(request.consolation, "consolation"))
        if let v = CatalogueRules.check(standard: standard) { throw ClientError.invalidInput(v) }
        return try await api().post(
            "/v1/catalogue/activities/\(try Self.pathSegment(activityId))/standards", request,
            as: CatalogueChangeResponse.self
        ).id
    }

    public func setMaterialItem(claimType: ClaimType, _ line: MaterialRequirement, sortOrder: Int?) async throws
        -> String
    {
        if let v = CatalogueRules.check(material: line) { throw ClientError.invalidInput(v) }
        return try await api().put(
            "/v1/catalogue/materials/\(claimType.rawValue)/\(line.item)",
            MaterialItemRequest(
                name: line.name, required: line.required, maxCount: line.maxCount, sortOrder: sortOrder),
            as: CatalogueChangeResponse.self
        ).id
    }

    public func removeMaterialItem(claimType: ClaimType, item: String) async throws -> String {
        if let v = CatalogueRules.checkCode(item, field: "item", what: "材料") { throw ClientError.invalidInput(v) }
        return try await api().delete(
            "/v1/catalogue/materials/\(claimType.rawValue)/\(item)", as: CatalogueChangeResponse.self
        ).id
    }

    /// Sets a row of the disability grade table; `ratio` in percent.
    public func setDisabilityGrade(_ grade: Int, name: String, ratio: String) async throws -> String {
        let row = DisabilityGrade(itemName: name, grade: grade, ratioBasisPoints: try Self.basisPoints(ratio) ?? 0)
        if let v = CatalogueRules.check(grade: row) { throw ClientError.invalidInput(v) }
        return try await api().put(
            "/v1/catalogue/grades/\(grade)", DisabilityGradeRequest(name: name, ratioBp: row.ratioBasisPoints),
            as: CatalogueChangeResponse.self
        ).id
    }

    /// The disability grade table, from the synced catalogue (offline).
    public func disabilityGrades() throws -> [DisabilityGrade] {
        try database.read { db in try self.grades(db).sorted { $0.grade < $1.grade } }
    }

    /// The material checklist of a claim type, from the synced catalogue (offline).
    public func materialChecklist(_ claimType: ClaimType) throws -> [MaterialRequirement] {
        try database.read { db in try self.checklist(db, claimType: claimType.rawValue).map(\.line) }
    }

    private static func basisPoints(_ ratio: String?) throws -> Int? {
        guard let ratio else { return nil }
        guard let bp = PercentText.parse(ratio.hasSuffix("%") ? String(ratio.dropLast()) : ratio) else {
            throw ClientError.invalidInput(RuleViolation(field: "ratio", message: "比例应为百分数，如 75 或 72.5"))
        }
        return bp
    }

    private static func money(_ text: String?, _ field: String) throws -> Money? {
        guard let text else { return nil }
        guard let value = Money(text) else {
            throw ClientError.invalidInput(
                RuleViolation(field: field, message: "金额 \(text.prefix(20)) 格式不正确，应为元，最多两位小数"))
        }
        return value
    }
}

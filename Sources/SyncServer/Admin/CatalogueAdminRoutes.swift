import Foundation
import Hummingbird
import MutualAidDomain
import SyncProtocol

/// 活动管理 and 申领材料 for the office: activities, their standards (a later rule of a standard
/// is a dated version) and the material checklists. Clients receive every change with the
/// catalogue at their next sync.
struct CatalogueAdminRoutes {
    let store: any CaseStore

    func addAuthenticated(to group: RouterGroup<AppRequestContext>) {
        group.post("catalogue/standards/:id/versions") { request, context in
            let principal = try context.requirePrincipal()
            let id = context.parameters.get("id") ?? ""
            let body = try await JSONBody.decode(StandardVersionRequest.self, from: request)
            let input = try CatalogueInputs.parse(body)
            let outcome = try await store.addStandardVersion(
                standardId: id, effectiveFrom: input.from, change: input.change, by: principal, now: Date())
            let versionId = try Self.done(outcome, missing: "没有该给付标准，请用 member-cli catalogue 查看标准编号")
            return try JSONBody.response(
                StandardVersionResponse(id: versionId, standardId: id, effectiveFrom: input.from.description),
                for: request)
        }
        group.post("catalogue/activities") { request, context in
            let principal = try context.requirePrincipal()
            let body = try await JSONBody.decode(NewActivityRequest.self, from: request)
            let activity = ProtectionActivity(
                id: body.id, name: body.name, subtype: body.subtype,
                fee: try CatalogueInputs.money(body.fee, "fee") ?? .zero,
                minEnrolmentRatePercent: body.minEnrolmentRatePercent, standards: [])
            let outcome = try await store.addActivity(activity, by: principal, now: Date())
            return try Self.respond(outcome, missing: "", for: request)
        }
        group.patch("catalogue/activities/:id") { request, context in
            let principal = try context.requirePrincipal()
            let body = try await JSONBody.decode(ActivityChangeRequest.self, from: request)
            let outcome = try await store.changeActivity(
                id: context.parameters.get("id") ?? "", name: body.name, subtype: body.subtype,
                minRatePercent: body.minEnrolmentRatePercent, by: principal, now: Date())
            return try Self.respond(outcome, missing: Self.noActivity, for: request)
        }
        group.post("catalogue/activities/:id/standards") { request, context in
            let principal = try context.requirePrincipal()
            let body = try await JSONBody.decode(NewStandardRequest.self, from: request)
            let standard = try CatalogueInputs.standard(body, activityId: context.parameters.get("id") ?? "")
            let outcome = try await store.addStandard(standard, by: principal, now: Date())
            return try Self.respond(outcome, missing: Self.noActivity, for: request)
        }
        group.put("catalogue/materials/:claimType/:item") { request, context in
            let principal = try context.requirePrincipal()
            let body = try await JSONBody.decode(MaterialItemRequest.self, from: request)
            let line = MaterialRequirement(
                item: context.parameters.get("item") ?? "", name: body.name, required: body.required,
                maxCount: body.maxCount)
            let outcome = try await store.setMaterialItem(
                claimType: try CatalogueInputs.claimType(context), line, sortOrder: body.sortOrder, by: principal,
                now: Date())
            return try Self.respond(outcome, missing: "", for: request)
        }
        group.put("catalogue/grades/:grade") { request, context in
            let principal = try context.requirePrincipal()
            let body = try await JSONBody.decode(DisabilityGradeRequest.self, from: request)
            guard let grade = Int(context.parameters.get("grade") ?? "") else {
                throw ServerError.rule(RuleViolation(field: "grade", message: "伤残等级应为 1 到 10 级"))
            }
            let row = DisabilityGrade(itemName: body.name, grade: grade, ratioBasisPoints: body.ratioBp)
            return try Self.respond(
                try await store.setDisabilityGrade(row, by: principal, now: Date()), missing: "", for: request)
        }
        group.delete("catalogue/materials/:claimType/:item") { request, context in
            let principal = try context.requirePrincipal()
            let outcome = try await store.removeMaterialItem(
                claimType: try CatalogueInputs.claimType(context), item: context.parameters.get("item") ?? "",
                by: principal, now: Date())
            return try Self.respond(outcome, missing: "该申领类型的材料清单中没有这项材料", for: request)
        }
    }

    static let noActivity = "没有该保障活动，请用 member-cli catalogue 查看活动编号"

    static func respond(_ outcome: CatalogueOutcome, missing: String, for request: Request) throws -> Response {
        try JSONBody.response(CatalogueChangeResponse(id: try done(outcome, missing: missing)), for: request)
    }

    static func done(_ outcome: CatalogueOutcome, missing: String) throws -> String {
        switch outcome {
        case .done(let id): return id
        case .notFound: throw ServerError(.notFound, "not_found", missing)
        case .refused(let violation) where violation.field == "actor":
            throw ServerError(.forbidden, "forbidden", violation.message)
        case .refused(let violation): throw ServerError.rule(violation)
        }
    }
}

/// The request's text fields parsed into domain values; a malformed one answers 422 naming it.
enum CatalogueInputs {
    static func parse(_ body: StandardVersionRequest) throws -> (from: CalendarDate, change: StandardRuleChange) {
        guard let from = CalendarDate(body.effectiveFrom) else {
            throw ServerError.rule(RuleViolation(field: "effectiveFrom", message: "生效日期应为有效的日期 YYYY-MM-DD"))
        }
        let change = StandardRuleChange(
            ratioBasisPoints: body.ratioBp, amount: try money(body.amount, "amount"), cap: try money(body.cap, "cap"),
            waitingDays: body.waitingDays, observationDays: body.observationDays,
            consolation: try money(body.consolation, "consolation"))
        return (from, change)
    }

    static func money(_ text: String?, _ field: String) throws -> Money? {
        guard let text else { return nil }
        guard let value = Money(text) else {
            throw ServerError.rule(RuleViolation(field: field, message: "金额格式不正确，应为元，最多两位小数"))
        }
        return value
    }

    static func claimType(_ context: AppRequestContext) throws -> ClaimType {
        guard let type = ClaimType(rawValue: context.parameters.get("claimType") ?? "") else {
            throw ServerError.rule(RuleViolation(field: "claimType", message: "没有这种申领类型，请用 member-cli catalogue 查看"))
        }
        return type
    }

    static func standard(_ body: NewStandardRequest, activityId: String) throws -> ClaimStandard {
        guard let type = ClaimType(rawValue: body.claimType) else {
            throw ServerError.rule(RuleViolation(field: "claimType", message: "没有这种申领类型，请用 member-cli catalogue 查看"))
        }
        guard let method = BenefitMethod(rawValue: body.method) else {
            throw ServerError.rule(
                RuleViolation(
                    field: "method", message: "给付方式应为 medical-ratio、daily-allowance、fixed 或 disability-ratio"))
        }
        return ClaimStandard(
            id: body.id, activityId: activityId, claimType: type, name: body.name, method: method,
            ratioBasisPoints: body.ratioBp, amount: try money(body.amount, "amount"), cap: try money(body.cap, "cap"),
            waitingDays: body.waitingDays ?? 0, observationDays: body.observationDays ?? 0,
            consolation: try money(body.consolation, "consolation"))
    }
}

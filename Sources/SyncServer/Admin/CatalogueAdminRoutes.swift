import Foundation
import Hummingbird
import MutualAidDomain
import SyncProtocol

/// 活动管理 for the office: POST /v1/catalogue/standards/{id}/versions adds a later rule of a
/// claim standard; clients receive it with the catalogue at their next sync.
struct CatalogueAdminRoutes {
    let store: any CaseStore

    func addAuthenticated(to group: RouterGroup<AppRequestContext>) {
        group.post("catalogue/standards/:id/versions") { request, context in
            let principal = try context.requirePrincipal()
            let id = context.parameters.get("id") ?? ""
            let body = try await JSONBody.decode(StandardVersionRequest.self, from: request)
            let input = try CatalogueInputs.parse(body)
            let outcome = try await store.addStandardVersion(
                standardId: id, effectiveFrom: input.from, ratioBasisPoints: body.ratioBp, amount: input.amount,
                cap: input.cap, by: principal, now: Date())
            switch outcome {
            case .added(let versionId):
                return try JSONBody.response(
                    StandardVersionResponse(id: versionId, standardId: id, effectiveFrom: input.from.description),
                    for: request)
            case .notFound:
                throw ServerError(.notFound, "standard_not_found", "没有该给付标准，请用 member-cli catalogue 查看标准编号")
            case .refused(let violation) where violation.field == "actor":
                throw ServerError(.forbidden, "forbidden", violation.message)
            case .refused(let violation):
                throw ServerError.rule(violation)
            }
        }
    }
}

enum CatalogueInputs {
    static func parse(_ body: StandardVersionRequest) throws -> (from: CalendarDate, amount: Money?, cap: Money?) {
        guard let from = CalendarDate(body.effectiveFrom) else {
            throw ServerError.rule(RuleViolation(field: "effectiveFrom", message: "生效日期应为有效的日期 YYYY-MM-DD"))
        }
        func money(_ text: String?, _ field: String) throws -> Money? {
            guard let text else { return nil }
            guard let value = Money(text) else {
                throw ServerError.rule(RuleViolation(field: field, message: "金额格式不正确，应为元，最多两位小数"))
            }
            return value
        }
        return (from, try money(body.amount, "amount"), try money(body.cap, "cap"))
    }
}

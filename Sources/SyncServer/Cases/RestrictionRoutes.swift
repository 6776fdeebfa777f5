import Foundation
import Hummingbird
import MutualAidDomain
import SyncProtocol

/// 限制名单: GET /v1/restricted (agencies and the office, their subtree; `?lifted=true` for
/// the persons taken off it) and POST /v1/restricted/lift (the office, with a note).
struct RestrictionRoutes {
    let store: any CaseStore

    func addAuthenticated(to group: RouterGroup<AppRequestContext>) {
        group.get("restricted") { request, context in
            let principal = try context.requirePrincipal()
            if let violation = RestrictionRules.mayList(principal.role) {
                throw ServerError(.forbidden, "forbidden", violation.message)
            }
            let lifted: Bool
            switch request.uri.queryParameters.get("lifted") {
            case nil, "false": lifted = false
            case "true": lifted = true
            default: throw ServerError.rule(RuleViolation(field: "lifted", message: "lifted 只能是 true 或 false"))
            }
            let persons = try await store.restrictedPersons(for: principal, lifted: lifted)
            return try JSONBody.response(RestrictedListResponse(persons: persons), for: request)
        }
        group.post("restricted/lift") { request, context in
            let principal = try context.requirePrincipal()
            let body = try await JSONBody.decode(RestrictionLiftRequest.self, from: request)
            guard (try? ResidentID.validate(body.idNumber.uppercased())) != nil else {
                throw ServerError.rule(RuleViolation(field: "idNumber", message: "身份证号码格式不正确，请核对"))
            }
            switch try await store.liftRestriction(
                idNumber: body.idNumber, note: body.note, by: principal, now: Date())
            {
            case .lifted(let person): return try JSONBody.response(person, for: request)
            case .notFound:
                throw ServerError(.notFound, "not_found", "该身份证号码不在限制名单上，请用 member-cli restricted list 查看")
            case .refused(let violation) where violation.field == "role":
                throw ServerError(.forbidden, "forbidden", violation.message)
            case .refused(let violation): throw ServerError.rule(violation)
            }
        }
    }
}

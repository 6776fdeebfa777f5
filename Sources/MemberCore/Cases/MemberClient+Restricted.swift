import Foundation
import MutualAidDomain
import SyncProtocol

/// 限制名单: the list lives on the server (it spans every unit of the province), so these are
/// online; lifting takes effect for every reviewer at once.
extension MemberClient {
    public func restrictedPersons(lifted: Bool = false) async throws -> [RestrictedPerson] {
        try await api().get(
            "/v1/restricted", query: lifted ? [("lifted", "true")] : [], as: RestrictedListResponse.self
        ).persons
    }

    /// Takes a person off the list (the server lets only the office), then syncs so the cleared
    /// flags arrive here too.
    public func liftRestriction(idNumber: String, note: String) async throws -> RestrictedPerson {
        let idNumber = idNumber.trimmingCharacters(in: .whitespaces).uppercased()
        guard (try? ResidentID.validate(idNumber)) != nil else {
            throw ClientError.invalidInput(RuleViolation(field: "idNumber", message: "身份证号码格式不正确，请核对"))
        }
        if let violation = RestrictionRules.liftNoteViolation(note) { throw ClientError.invalidInput(violation) }
        let person = try await api().post(
            "/v1/restricted/lift", RestrictionLiftRequest(idNumber: idNumber, note: note), as: RestrictedPerson.self)
        _ = try? await sync()
        return person
    }
}

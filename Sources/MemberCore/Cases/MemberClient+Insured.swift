import Foundation
import MutualAidDomain

/// 参保查询 and 既往申领 for staff: one person's enrolments (periods) and every claim of theirs
/// in the account's scope, with the restricted-list flag reviewers must see. From the replica.
extension MemberClient {
    public func insuredRecord(idNumber: String) throws -> InsuredRecord {
        guard (try? ResidentID.validate(idNumber.uppercased())) != nil else {
            throw ClientError.invalidInput(RuleViolation(field: "idNumber", message: "身份证号码格式不正确，请核对"))
        }
        var query = ClaimQuery()
        query.idNumber = idNumber
        let claims = try searchClaims(query)
        let enrolments = try enrolments(idNumber: idNumber)
        return InsuredRecord(
            idNumber: idNumber.uppercased(), name: enrolments.first?.insuredName ?? claims.first?.name,
            enrolments: enrolments, claims: claims, restricted: claims.contains(where: \.restricted))
    }
}

public struct InsuredRecord: Sendable, Codable, Equatable {
    public var idNumber: String
    @NullWhenAbsent public var name: String?
    public var enrolments: [EnrolmentView]
    /// 既往申领, newest first.
    public var claims: [ClaimSearchRow]
    /// On the restricted list (限制名单) through any of the claims.
    public var restricted: Bool
}

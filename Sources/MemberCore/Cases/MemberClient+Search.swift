import Foundation
import GRDB
import MutualAidDomain

/// 申领查询: claims across every state and step, from the replica — so staff see exactly the
/// cases of their scope, and offline too. A member's replica holds only their own claims.
extension MemberClient {
    public func searchClaims(_ query: ClaimQuery) throws -> [ClaimSearchRow] {
        try database.read { db in
            let enrolments = Dictionary(
                uniqueKeysWithValues: try self.database.table(.enrolment).all(db).map { ($0.id, $0.fields) })
            return try self.database.table(.claim).all(db).compactMap { id, f -> ClaimSearchRow? in
                let e = f["enrolmentId"]?.stringValue.flatMap { enrolments[$0] } ?? [:]
                let state = f["state"]?.stringValue.flatMap(CaseState.init(rawValue:)) ?? .draft
                let row = ClaimSearchRow(
                    id: id, caseNumber: f["caseNumber"]?.stringValue, state: state.rawValue,
                    stateText: state.chineseName,
                    claimType: f["claimType"]?.stringValue ?? "", amount: f["amount"]?.stringValue,
                    idNumber: e["idNumber"]?.stringValue, name: e["insuredName"]?.stringValue,
                    unit: e["unitName"]?.stringValue, agency: f["acceptedBy"]?.stringValue,
                    acceptedAt: f["acceptedAt"]?.stringValue, restricted: Self.int(f["restricted"]) == 1)
                return query.matches(row) ? row : nil
            }.sorted { ($0.acceptedAt ?? "", $0.id) > ($1.acceptedAt ?? "", $1.id) }
        }
    }
}

/// One claim as 申领查询 lists it. The ID number is whole: the replica holds only what the
/// account may see, and the terminal masks it for display.
public struct ClaimSearchRow: Sendable, Codable, Equatable {
    public var id: String
    @NullWhenAbsent public var caseNumber: String?
    public var state: String
    public var stateText: String
    public var claimType: String
    @NullWhenAbsent public var amount: String?
    @NullWhenAbsent public var idNumber: String?
    @NullWhenAbsent public var name: String?
    @NullWhenAbsent public var unit: String?
    @NullWhenAbsent public var agency: String?
    @NullWhenAbsent public var acceptedAt: String?
    public var restricted: Bool
}

/// The filters of 申领查询; nil matches everything. Dates are acceptance dates (北京时间 calendar
/// days), amounts exact (`Money`, integer cents).
public struct ClaimQuery: Sendable {
    public var idNumber: String?
    public var name: String?
    public var caseNumber: String?
    public var unit: String?
    public var agency: String?
    public var claimType: ClaimType?
    public var state: CaseState?
    public var from: CalendarDate?
    public var to: CalendarDate?
    public var minAmount: Money?
    public var maxAmount: Money?

    public init() {}

    func matches(_ row: ClaimSearchRow) -> Bool {
        if let idNumber, row.idNumber?.uppercased() != idNumber.uppercased() { return false }
        if let name, row.name?.contains(name) != true { return false }
        if let caseNumber, row.caseNumber != caseNumber { return false }
        if let unit, row.unit?.contains(unit) != true { return false }
        if let agency, row.agency != agency { return false }
        if let claimType, row.claimType != claimType.rawValue { return false }
        if let state, row.state != state.rawValue { return false }
        let accepted = row.acceptedAt.flatMap(BeijingTime.day)
        if let from, accepted.map({ $0 < from }) ?? true { return false }
        if let to, accepted.map({ $0 > to }) ?? true { return false }
        let cents = row.amount.flatMap(Money.init)?.cents
        if let minAmount, cents.map({ $0 < minAmount.cents }) ?? true { return false }
        if let maxAmount, cents.map({ $0 > maxAmount.cents }) ?? true { return false }
        return true
    }
}

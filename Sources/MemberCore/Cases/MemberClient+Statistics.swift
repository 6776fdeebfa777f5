import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol

/// 申领统计 for staff, from the replica like the fee dashboard: so each account counts exactly
/// the claims of its scope, offline too.
extension MemberClient {
    public func claimStatistics(year: Int, through: CalendarDate? = nil, by grouping: ClaimStatistics.Grouping) throws
        -> ClaimStatistics.Report
    {
        try database.read { db in
            let account = try self.staffAccount(db, roles: [.agent, .office, .finance], what: "申领统计")
            let agencies = try self.agencyNames(db, account: account)
            let claims = try self.database.table(.claim).all(db, where: "accepted_at IS NOT NULL").compactMap {
                _, f -> ClaimStatistics.Claim? in
                guard let accepted = f["acceptedAt"]?.stringValue.flatMap(BeijingTime.day) else { return nil }
                let agency = agencies.agencyOf(f["acceptedBy"]?.stringValue ?? "")
                return ClaimStatistics.Claim(
                    agencyId: agency, agencyName: agencies.names[agency] ?? agency,
                    claimType: f["claimType"]?.stringValue ?? "", accepted: accepted,
                    state: f["state"]?.stringValue.flatMap(CaseState.init(rawValue:)) ?? .accepted,
                    amount: f["amount"]?.stringValue.flatMap(Money.init))
            }
            return ClaimStatistics.report(claims, year: year, through: through, by: grouping)
        }
    }

    /// The names of the organisations the replica knows: agencies through their units and
    /// applications, the account's own organisation through the session. A claim a unit
    /// accepted counts for that unit's agency, as its reviews do.
    private func agencyNames(_ db: Database, account: AccountInfo) throws -> AgencyNames {
        var names = [account.orgId: account.orgName]
        var unitAgency: [String: String] = [:]
        for (id, f) in try database.table(.unit).all(db) {
            guard let agency = f["agencyId"]?.stringValue else { continue }
            unitAgency[id] = agency
            if let name = f["agencyName"]?.stringValue { names[agency] = name }
        }
        for (_, f) in try database.table(.enrolmentApplication).all(db) {
            if let agency = f["agencyId"]?.stringValue, let name = f["agencyName"]?.stringValue { names[agency] = name }
        }
        return AgencyNames(names: names, unitAgency: unitAgency)
    }
}

private struct AgencyNames {
    var names: [String: String]
    var unitAgency: [String: String]

    func agencyOf(_ org: String) -> String { unitAgency[org] ?? org }
}

import Foundation
import GRDB
import MutualAidDomain

/// Builds application views from the replica.
extension MemberClient {
    func applicationView(_ db: Database, id: String) throws -> EnrolmentApplicationView? {
        guard let f = try database.table(.enrolmentApplication).load(db, id: id)?.fields else { return nil }
        func text(_ k: String) -> String? { f[k]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
        func int(_ k: String) -> Int { f[k]?.intValue ?? 0 }
        let local = try String.fetchOne(
            db, sql: "SELECT state FROM enrolment_application WHERE id = ?", arguments: [id])
        let state = EnrolmentState(rawValue: text("state") ?? local ?? "draft") ?? .draft
        let catalogue = (try? activityCatalogue(db)) ?? [:]
        let lines = JSONText.decode([EnrolmentLine].self, text("lines")) ?? []
        let listed = try listedCounts(db, applicationId: id)
        // While the lists can change (draft, returned) the summary is what the local lists say;
        // after submission, the server's.
        let summary =
            (state.isEditable ? nil : JSONText.decode([ActivitySummary].self, text("summary")))
            ?? EnrolmentSummaries.summarise(
                lines: lines, insured: listed, employees: int("employees"), highRisk: int("highRisk"),
                catalogue: catalogue)
        let checks =
            JSONText.decode([AutoCheck].self, text("checks"))
            ?? EnrolmentSummaries.autoChecks(summary, employees: int("employees"), catalogue: catalogue)
        let fees = (JSONText.decode([ActivityFees].self, text("fees")) ?? []).map { a in
            EnrolmentApplicationView.Fees(
                activityId: a.activityId, activityName: a.activityName, total: a.total.description,
                subsidy: a.subsidy.description, gift: a.gift.description, payable: a.payable.description,
                invoiced: a.invoiced.description, remaining: a.remaining.description,
                split: a.split, invoices: a.invoices)
        }
        let imports = try database.table(.enrolmentImport).all(db, where: "application_id = ?", arguments: [id]).map {
            r in
            EnrolmentApplicationView.ImportRecord(
                id: r.id, activityId: r.fields["activityId"]?.stringValue ?? "",
                fileName: r.fields["fileName"]?.stringValue ?? "",
                total: r.fields["total"]?.intValue ?? 0, succeeded: r.fields["succeeded"]?.intValue ?? 0,
                failedCount: r.fields["failedCount"]?.intValue ?? 0,
                importedAt: r.fields["importedAt"]?.stringValue ?? "")
        }.sorted { $0.importedAt < $1.importedAt }
        let trail = try database.table(.enrolmentTrail).all(db, where: "application_id = ?", arguments: [id]).map { r in
            EnrolmentApplicationView.TrailEntry(
                step: r.fields["step"]?.stringValue ?? "", state: r.fields["state"]?.stringValue ?? "",
                note: r.fields["note"]?.stringValue, operatorName: r.fields["operator"]?.stringValue ?? "",
                at: r.fields["at"]?.stringValue ?? "")
        }.sorted { $0.at < $1.at }
        let pending = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE record_id = ?", arguments: [id]) ?? 0
        // A draft not yet seen by the server has no unit name of its own: the unit record has it.
        let localUnit = try database.table(.unit).load(db, id: text("unitId") ?? "")?.fields["name"]?.stringValue
        let unitName = text("unitName") ?? localUnit
        let storedFees = JSONText.decode([ActivityFees].self, text("fees")) ?? []
        let feeTotal =
            storedFees.isEmpty
            ? summary.reduce(Money.zero) { $0 + $1.feeTotal } : storedFees.reduce(Money.zero) { $0 + $1.total }
        return EnrolmentApplicationView(
            id: id, originalId: text("originalId"), state: state.rawValue, stateName: state.chineseName,
            unitId: text("unitId") ?? "",
            unitName: unitName,
            agencyName: text("agencyName"), newEmployment: int("newEmployment") == 1, employees: int("employees"),
            women: int("women"),
            highRisk: int("highRisk"), applicationDate: text("applicationDate"),
            lines: lines.map {
                .init(
                    activityId: $0.activityId, activityName: catalogue[$0.activityId]?.name ?? $0.activityId,
                    shares: $0.shares, listed: listed[$0.activityId] ?? 0)
            },
            summary: summary, feeTotal: feeTotal.description, checks: checks, fees: fees,
            fixedEffectiveDate: text("fixedEffectiveDate"), periodStart: text("periodStart"),
            periodEnd: text("periodEnd"),
            letterNumber: text("letterNumber"), printCount: int("printCount"), imports: imports, trail: trail,
            pendingChanges: pending)
    }
}

import Foundation
import MutualAidDomain
import SyncStorage

/// Submission (提交参保) and the checks on list rows, run by the server on push with the same
/// rules the clerk's client ran offline.
enum EnrolmentSubmission {
    static func catalogue(_ db: any SQLConnection) throws -> [String: ProtectionActivity] {
        var result: [String: ProtectionActivity] = [:]
        for row in try db.fetchAll(sql: "SELECT id, name, subtype, fee, min_enrolment_rate_pct FROM activity") {
            let id: String = try row["id"]
            result[id] = ProtectionActivity(
                id: id, name: try row["name"], subtype: try row["subtype"],
                fee: Money(try row["fee"] as String) ?? .zero,
                minEnrolmentRatePercent: try row["min_enrolment_rate_pct"], standards: [])
        }
        return result
    }

    /// Entry → first review: counts checked, summary, automatic checks and fees computed.
    static func submit(_ db: any SQLConnection, _ app: inout ApplicationRecord, by principal: Principal, now: Date)
        throws
    {
        if app.text("originalId") != nil { return try EnrolmentChanges.submit(db, &app, by: principal, now: now) }
        let catalogue = try catalogue(db)
        let lines = app.lines
        try EnrolmentSummaries.validateEntry(
            lines: lines, employees: app.int("employees"), women: app.int("women"),
            highRisk: app.int("highRisk"), catalogue: catalogue)
        var insured: [String: Int] = [:]
        for row in try db.fetchAll(
            sql:
                "SELECT activity_id, COUNT(*) AS n FROM enrolment_person WHERE application_id = ? GROUP BY activity_id",
            arguments: [app.id])
        {
            insured[try row["activity_id"]] = try row["n"]
        }
        let summaries = EnrolmentSummaries.summarise(
            lines: lines, insured: insured, employees: app.int("employees"),
            highRisk: app.int("highRisk"), catalogue: catalogue)
        if let empty = summaries.first(where: { $0.insured == 0 }) {
            throw RuleViolation(field: "lines", message: "「\(empty.activityName)」还没有参保人员，请先导入人员清单再提交")
        }
        let checks = EnrolmentSummaries.autoChecks(summaries, employees: app.int("employees"), catalogue: catalogue)
        let fees = summaries.map {
            ActivityFees(
                activityId: $0.activityId, activityName: $0.activityName, feePerShare: $0.feePerShare,
                shares: $0.shares, insured: $0.insured)
        }
        try app.apply(
            .submit,
            extra: [
                "summary": FieldValue.json(summaries), "checks": FieldValue.json(checks), "fees": FieldValue.json(fees),
                "handledSubmission": .int(Int64(app.int("submission"))), "fixedEffectiveDate": .null,
            ], by: principal, now: now, db)
    }

    /// One list row: the shared row rules, the activity on the application, once per list,
    /// and no cover of the same activity still running when the new one could start.
    static func checkPerson(
        _ db: any SQLConnection, _ f: FieldMap, app: ApplicationRecord, today: CalendarDate,
        except recordId: String? = nil
    ) throws -> RuleViolation? {
        guard let activityId = f["activityId"]?.stringValue, app.lines.contains(where: { $0.activityId == activityId })
        else {
            return RuleViolation(field: "activityId", message: "该保障活动不在参保申请中")
        }
        let idNumber = (f["idNumber"]?.stringValue ?? "").uppercased()
        let person = PersonListRules.Person(
            row: 0, name: f["name"]?.stringValue ?? "", idNumber: idNumber,
            mobile: f["mobile"]?.stringValue ?? "")
        let listed =
            try db.fetchOne(
                sql: """
                    SELECT 1 FROM enrolment_person WHERE application_id = ? AND activity_id = ? AND id_number = ? AND id <> ?
                    """, arguments: [app.id, activityId, idNumber, recordId ?? ""]) != nil
        // Another unit's cover is named as such, never with its dates.
        let cover = try db.fetchOne(
            sql: """
                SELECT period_end, org_path FROM enrolment WHERE id_number = ? AND activity_id = ? ORDER BY period_end DESC LIMIT 1
                """, arguments: [idNumber, activityId]
        ).flatMap { row in
            let orgPath: String = try row["org_path"]
            return CalendarDate(try row["period_end"] as String).map {
                PersonListRules.Cover(until: $0, ownUnit: orgPath == app.stored.orgPath)
            }
        }
        let reason = PersonListRules.problem(
            person, firstSeen: nil, listed: listed ? [idNumber] : [],
            coveredUntil: { _ in cover }, expectedStart: today.adding(days: 1))
        if let reason { return RuleViolation(field: "idNumber", message: reason) }
        return try EnrolmentConfirmation.memberConflict(db, idNumber: idNumber, name: person.name)
    }
}

import Foundation
import MutualAidDomain
import SyncStorage

/// 增减员 on the server: a change application is an enrolment application with `originalId`;
/// it runs the same pipeline, its list rows add persons or (removal = 1) end a cover of the
/// original, and its fees are the difference (`EnrolmentChange.fees`).
enum EnrolmentChanges {
    /// The application a new change application points at: in the principal's reach, of the
    /// same unit, confirmed, and not itself a change.
    static func checkOriginal(_ db: any SQLConnection, _ originalId: String, unitId: String, _ principal: Principal)
        throws -> RuleViolation?
    {
        guard let original = try ApplicationRecord.load(db, id: originalId),
            principal.scope.contains(orgPath: original.stored.orgPath), original.unitId == unitId
        else {
            return RuleViolation(field: "originalId", message: "找不到要变更的参保申请，请先 member-cli sync 后重试")
        }
        guard original.text("originalId") == nil else {
            return RuleViolation(field: "originalId", message: "请对原参保申请办理增减员，而不是对变更申请")
        }
        guard EnrolmentChange.isChangeable(original.state) else {
            return RuleViolation(
                field: "originalId", message: "参保申请当前为「\(original.state.chineseName)」，确认（到账确认）后才能办理增减员")
        }
        return nil
    }

    /// The member enrolments the original and its confirmed changes made for this person and
    /// activity that still run on `today`.
    static func runningCovers(
        _ db: any SQLConnection, originalId: String, idNumber: String, activityId: String, today: CalendarDate
    ) throws -> [String] {
        try db.fetchAll(
            sql: """
                SELECT id FROM enrolment WHERE id_number = ? AND activity_id = ? AND period_end >= ?
                AND application_id IN (SELECT id FROM enrolment_application WHERE id = ? OR original_id = ?)
                """, arguments: [idNumber, activityId, today.description, originalId, originalId]
        ).map { try $0["id"] }
    }

    /// A removal row: the activity is on the change, and the person is covered by the original.
    static func checkRemoval(_ db: any SQLConnection, _ f: FieldMap, app: ApplicationRecord, today: CalendarDate)
        throws -> RuleViolation?
    {
        guard let originalId = app.text("originalId") else {
            return RuleViolation(field: "removal", message: "减员只能在变更申请中办理（member-cli enrolment change）")
        }
        guard let activityId = f["activityId"]?.stringValue, app.lines.contains(where: { $0.activityId == activityId })
        else {
            return RuleViolation(field: "activityId", message: "该保障活动不在参保申请中")
        }
        let idNumber = (f["idNumber"]?.stringValue ?? "").uppercased()
        guard
            try !runningCovers(db, originalId: originalId, idNumber: idNumber, activityId: activityId, today: today)
                .isEmpty
        else {
            return RuleViolation(field: "idNumber", message: "该人员不在原参保申请的有效参保人员中，不能减员")
        }
        return nil
    }

    /// Entry → first review for a change: the activities it touches, charged the difference.
    static func submit(_ db: any SQLConnection, _ app: inout ApplicationRecord, by principal: Principal, now: Date)
        throws
    {
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone, now: now)
        guard let originalId = app.text("originalId"), let original = try ApplicationRecord.load(db, id: originalId),
            EnrolmentChange.isChangeable(original.state)
        else {
            throw RuleViolation(field: "originalId", message: "原参保申请尚未确认或已撤销，不能办理增减员")
        }
        var added: [String: Int] = [:]
        var addedIds: [String] = []
        var removedIds: [String] = []
        for row in try rows(db, app.id) {
            if row.removal {
                guard
                    try !runningCovers(
                        db, originalId: originalId, idNumber: row.idNumber, activityId: row.activityId, today: today
                    ).isEmpty
                else { throw RuleViolation(field: "idNumber", message: "减员人员中有人已不在保障中，请删除该行后重新提交") }
                removedIds.append(row.activityId + "/" + row.idNumber)
            } else {
                added[row.activityId, default: 0] += 1
                addedIds.append(row.activityId + "/" + row.idNumber)
            }
        }
        try EnrolmentChange.validate(added: addedIds, removed: removedIds)
        let touched = Set((addedIds + removedIds).map { String($0.prefix { $0 != "/" }) })
        // The shares are the original's: a change adds persons, not shares.
        let lines = original.lines.filter { touched.contains($0.activityId) }
        guard lines.count == touched.count else {
            throw RuleViolation(field: "activityId", message: "变更中的保障活动须是原参保申请中的保障活动")
        }
        let catalogue = try EnrolmentSubmission.catalogue(db)
        let summaries = EnrolmentSummaries.summarise(
            lines: lines, insured: added, employees: original.int("employees"), highRisk: 0, catalogue: catalogue)
        try app.apply(
            .submit,
            extra: [
                "summary": FieldValue.json(summaries), "checks": FieldValue.json([AutoCheck]()),
                "fees": FieldValue.json(EnrolmentChange.fees(lines: lines, added: added, catalogue: catalogue)),
                "handledSubmission": .int(Int64(app.int("submission"))), "fixedEffectiveDate": .null,
            ], by: principal, now: now, db)
    }

    /// Payment of the difference confirmed: the added persons are enrolled for the rest of the
    /// original's period, the removed ones' cover ends, and the original's trail says so.
    static func confirm(_ db: any SQLConnection, _ app: inout ApplicationRecord, by principal: Principal, now: Date)
        throws
    {
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone, now: now)
        guard let originalId = app.text("originalId"), let original = try ApplicationRecord.load(db, id: originalId),
            let start = original.text("periodStart").flatMap(CalendarDate.init),
            let end = original.text("periodEnd").flatMap(CalendarDate.init)
        else {
            throw RuleViolation(field: "originalId", message: "找不到原参保申请的保障期间，不能确认变更")
        }
        let rows = try rows(db, app.id)
        let additions = rows.filter { !$0.removal }.count
        let cover = EnrolmentChange.addedCover(original: ProtectionPeriod(start: start, end: end), confirmed: today)
        guard let cover = cover ?? (additions == 0 ? ProtectionPeriod(start: start, end: end) : nil) else {
            throw RuleViolation(field: "state", message: "原参保申请的保障期已满，不能再增员，请办理新的参保")
        }
        try app.apply(
            .confirmPayment(note: nil),
            extra: [
                "periodStart": .string(cover.start.description), "periodEnd": .string(cover.end.description),
                "confirmedAt": .string(Timestamp.format(now)),
            ], by: principal, now: now, db)
        try EnrolmentConfirmation.enrol(db, app, period: cover, now: now)
        let table = RowTable(spec: .enrolment)
        for row in rows where row.removal {
            for id in try runningCovers(
                db, originalId: originalId, idNumber: row.idNumber, activityId: row.activityId, today: today)
            {
                guard var stored = try table.load(db, recordId: id),
                    let from = stored.record.fields["periodStart"]?.stringValue.flatMap(CalendarDate.init),
                    let to = stored.record.fields["periodEnd"]?.stringValue.flatMap(CalendarDate.init)
                else { continue }
                let until = EnrolmentChange.removedUntil(ProtectionPeriod(start: from, end: to), confirmed: today)
                try ServerWrites.update(table, id: id, &stored, ["periodEnd": .string(until.description)], now: now, db)
            }
        }
        let fee = app.fees.reduce(Money.zero) { $0 + $1.total }
        try original.addTrail(
            step: "人员变更", note: "增员 \(additions) 人，减员 \(rows.count - additions) 人，补交会费 \(fee) 元",
            by: principal.name, now: now, db)
    }

    struct Row {
        var activityId: String
        var idNumber: String
        var removal: Bool
    }

    static func rows(_ db: any SQLConnection, _ applicationId: String) throws -> [Row] {
        try db.fetchAll(
            sql: "SELECT activity_id, id_number, removal FROM enrolment_person WHERE application_id = ?",
            arguments: [applicationId]
        ).map {
            Row(
                activityId: try $0["activity_id"], idNumber: try $0["id_number"],
                removal: ((try $0["removal"] as Int?) ?? 0) == 1)
        }
    }
}

import Foundation
import MutualAidDomain
import SyncStorage

/// Payment arrival confirmed (到账确认): the letter number is issued, the protection period
/// fixed, and every listed person becomes a member enrolment their own client pulls.
enum EnrolmentConfirmation {
    static func confirm(_ db: any SQLConnection, _ app: inout ApplicationRecord, by principal: Principal, now: Date)
        throws
    {
        if app.text("originalId") != nil { return try EnrolmentChanges.confirm(db, &app, by: principal, now: now) }
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone, now: now)
        // The effective date is the day after confirmation unless the first review fixed a later one.
        let fixed = app.text("fixedEffectiveDate").flatMap(CalendarDate.init)
        let effective = max(fixed ?? today.adding(days: 1), today.adding(days: 1))
        let period = ProtectionPeriod.oneYear(from: effective)
        let number = try CaseNumbers.next(
            db, prefix: "G", officeCode: CaseNumbers.officeCode(db, orgPath: app.stored.orgPath), now: now)
        try app.apply(
            .confirmPayment(note: nil),
            extra: [
                "letterNumber": .string(number), "periodStart": .string(period.start.description),
                "periodEnd": .string(period.end.description), "confirmedAt": .string(Timestamp.format(now)),
            ], by: principal, now: now, db)
        try enrol(db, app, period: period, now: now)
    }

    /// One enrolment record per listed person and activity (a change's removal rows excepted);
    /// a person without a member record gets one, so an account made later (or earlier) by ID
    /// number finds its enrolments.
    static func enrol(_ db: any SQLConnection, _ app: ApplicationRecord, period: ProtectionPeriod, now: Date) throws {
        let shares = Dictionary(app.lines.map { ($0.activityId, $0.shares) }, uniquingKeysWith: { a, _ in a })
        let catalogue = try EnrolmentSubmission.catalogue(db)
        let unitName = app.text("unitName") ?? ""
        let persons = try db.fetchAll(
            sql: """
                SELECT id, activity_id, name, id_number, mobile FROM enrolment_person WHERE application_id = ? AND COALESCE(removal, 0) = 0
                ORDER BY activity_id, row_number
                """, arguments: [app.id])
        let table = RowTable(spec: .enrolment)
        var joinedFromOtherUnits = Set<String>()
        for person in persons {
            let idNumber: String = try person["id_number"]
            let activityId: String = try person["activity_id"]
            guard let activity = catalogue[activityId], let count = shares[activityId] else { continue }
            let member = try memberFor(
                db, idNumber: idNumber, name: person["name"], mobile: person["mobile"], unitId: app.unitId, now: now)
            let memberId = member.id
            if member.unitId != app.unitId { joinedFromOtherUnits.insert(memberId) }
            let previousEnd = try db.fetchValue(
                String.self,
                sql: """
                    SELECT MAX(period_end) FROM enrolment WHERE id_number = ? AND activity_id = ? AND application_id IS DISTINCT FROM ?
                    """, arguments: [idNumber, activityId, app.id]
            ).flatMap(CalendarDate.init)
            let renewal =
                previousEnd.map { ProtectionPeriod.isRenewal(previousEnd: $0, newStart: period.start) } ?? false
            let fields: FieldMap = [
                "memberId": .string(memberId), "unitName": .string(unitName),
                "insuredName": .string(try person["name"]),
                "relation": .string("本人"), "idNumber": .string(idNumber), "activityId": .string(activityId),
                "activityName": .string(activity.name), "periodStart": .string(period.start.description),
                "periodEnd": .string(period.end.description), "shares": .int(Int64(count)),
                "fee": .string(activity.fee.times(count).description), "renewal": .int(renewal ? 1 : 0),
            ]
            try ServerWrites.insert(
                table, id: "e-" + (person["id"] as String), fields, orgPath: app.stored.orgPath,
                memberId: memberId, extra: ["application_id": app.id], now: now, db)
        }
        // Never silently: the trail says how many listed persons were already members elsewhere
        // (matched by ID number and name), without naming them or their unit.
        if !joinedFromOtherUnits.isEmpty {
            try app.addTrail(
                step: "关联已有会员", note: "名单中 \(joinedFromOtherUnits.count) 人已是其他单位的会员，参保记录已按身份证号码和姓名关联到其本人",
                by: "系统", now: now, db)
        }
    }

    /// A listed person whose ID number belongs to a member of another name: refused (on push
    /// and again here), so a typo in an ID number never attaches a stranger's cover to someone
    /// else. The message names no one.
    static let nameMismatch = RuleViolation(field: "idNumber", message: "该身份证号码已登记为会员，但姓名与清单不一致，请核对姓名和身份证号码")

    static func memberConflict(_ db: any SQLConnection, idNumber: String, name: String) throws -> RuleViolation? {
        guard
            let existing = try db.fetchValue(
                String.self,
                sql: "SELECT name FROM member WHERE id_number = ?", arguments: [idNumber]),
            existing != name
        else { return nil }
        return nameMismatch
    }

    /// The member with this ID number (the same name, or `nameMismatch` is thrown), else a new
    /// one in this unit; one lookup per listed person.
    static func memberFor(
        _ db: any SQLConnection, idNumber: String, name: String, mobile: String?, unitId: String,
        now: Date
    ) throws -> (id: String, unitId: String) {
        if let row = try db.fetchOne(
            sql: "SELECT id, name, unit_id FROM member WHERE id_number = ?", arguments: [idNumber])
        {
            guard (try row["name"] as String) == name else { throw nameMismatch }
            return (try row["id"], try row["unit_id"])
        }
        let id = "m-" + UUID().uuidString.lowercased().prefix(12)
        try SQLCaseStore.insertMember(
            NewMember(id: id, unitId: unitId, name: name, idNumber: idNumber, mobile: mobile), now: now, db)
        return (id, unitId)
    }
}

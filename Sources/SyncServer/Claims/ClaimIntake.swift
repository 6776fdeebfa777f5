import Foundation
import MutualAidDomain
import SyncStorage

/// Turns a member's submission into a case: once every material of the claim has arrived and
/// verified, the claim is checked again (the same rules the client ran offline), given a case
/// number and put into first review; a re-submission after a supplement request returns it to
/// where it was. Runs inside the write transaction of the push or upload that completed it.
enum ClaimIntake {
    static let sourceMember = CaseSource.memberApp

    static func process(_ db: any SQLConnection, claimId: String, now: Date) throws {
        let table = ClaimTable()
        guard let claim = try table.load(db, recordId: claimId) else { return }
        var record = claim.record
        let submission: Int64 = record.fields["submission"].flatMap { if case .int(let i) = $0 { i } else { nil } } ?? 0
        let handled: Int64 =
            record.fields["handledSubmission"].flatMap { if case .int(let i) = $0 { i } else { nil } } ?? 0
        guard submission > handled else { return }
        let materials = try db.fetchAll(
            sql: "SELECT item, verified FROM claim_material WHERE claim_id = ?", arguments: [claimId])
        // Bytes still on their way: an upload's completion calls again.
        guard try materials.allSatisfy({ try ($0["verified"] as Int) == 1 }) else { return }

        let state = record.fields["state"]?.stringValue ?? ClaimStates.draft
        var server = FieldMap()
        var trail: (step: String, state: String, note: String)
        if let problem = try problems(db, claim: claim, materials: materials, now: now) {
            trail = ("提交未受理", state, problem)
        } else if state == ClaimStates.draft {
            let number = try CaseNumbers.next(
                db, prefix: "CL", officeCode: CaseNumbers.officeCode(db, orgPath: claim.orgPath), now: now)
            server = [
                "caseNumber": .string(number), "state": .string(ClaimStates.firstReview),
                "source": .string(sourceMember.rawValue), "acceptedAt": .string(Timestamp.format(now)),
                "acceptedBy": .string(acceptingAgency(orgPath: claim.orgPath)),
                "stepStartedAt": .string(Timestamp.format(now)),
                "restricted": .int(try Restrictions.isRestricted(db, memberId: claim.memberId) ? 1 : 0),
            ]
            trail = ("会员提交申领", ClaimStates.firstReview, "已受理，案件号 \(number)")
        } else if state == ClaimStates.supplementRequested {
            let back =
                SupplementRequest(json: record.fields["supplementItems"]?.stringValue)?.returnTo
                ?? ClaimStates.firstReview
            server = ["state": .string(back), "supplementItems": .null]
            trail = ("补材提交", back, "会员已补充材料")
        } else {
            return
        }
        server["handledSubmission"] = .int(submission)
        try ServerWrites.apply(server, to: &record, now: now)
        try table.save(db, recordId: claimId, record)
        try SQLCaseStore.appendFeed(table, recordId: claimId, now: now, db)
        try addTrail(
            db, claim: claim, claimId: claimId, step: trail.step, state: trail.state, note: trail.note,
            operator: sourceMember.chineseName, now: now)
        // Accepted materials become visible to the agency's staff.
        if state == ClaimStates.draft, let number = server["caseNumber"]?.stringValue {
            for id in try db.fetchValues(
                String.self,
                sql: "SELECT id FROM claim_material WHERE claim_id = ?", arguments: [claimId])
            {
                try SQLCaseStore.appendFeed(MaterialTable(), recordId: id, now: now, db)
            }
            try MessageBox.claimAccepted(db, claimId: claimId, claim: claim, caseNumber: number, now: now)
        }
    }

    /// Why a submission cannot be accepted, or nil.
    static func problems(_ db: any SQLConnection, claim: StoredRecord, materials: [SQLRow], now: Date) throws -> String?
    {
        let draft = ClaimDraft(fields: claim.record.fields)
        let missing = ClaimDraftRules.missingFields(draft)
        if !missing.isEmpty { return "缺少：" + missing.joined(separator: "、") }
        guard
            let enrolment = try db.fetchOne(
                sql: "SELECT * FROM enrolment WHERE id = ? AND member_id = ?",
                arguments: [draft.enrolmentId, claim.memberId])
        else {
            return "所选参保记录不存在"
        }
        let standards = try db.fetchAll(
            sql: "SELECT id, claim_type FROM claim_standard WHERE activity_id = ?",
            arguments: [try enrolment["activity_id"] as String])
        let offered = Set(
            try standards.filter { try ($0["claim_type"] as String) == draft.claimType?.rawValue }.map {
                try $0["id"] as String
            })
        guard Set(draft.standardIds).isSubset(of: offered) else { return "所选申领标准不属于该参保记录或申领类型" }
        let checklist = try db.fetchAll(
            sql: "SELECT item, name, required, max_count FROM material_item WHERE claim_type = ?",
            arguments: [draft.claimType?.rawValue]
        ).map {
            try MaterialRequirement(
                item: $0["item"], name: $0["name"], required: $0["required"], maxCount: $0["max_count"])
        }
        let counts = Dictionary(try materials.map { (try $0["item"] as String, 1) }, uniquingKeysWith: +)
        let lacking = ClaimDraftRules.missingMaterials(checklist, counts: counts)
        if !lacking.isEmpty { return "缺少材料：" + lacking.joined(separator: "、") }
        let periodEnd: String = try enrolment["period_end"]
        let period = CalendarDate(try enrolment["period_start"] as String).flatMap { start in
            CalendarDate(periodEnd).map { ProtectionPeriod(start: start, end: $0) }
        }
        do {
            let today = CalendarDate.today(in: CaseNumbers.chinaTime, now: now)
            if let admitted = draft.admitted, draft.claimType?.isHospitalStay == true {
                try ClaimDraftRules.checkStay(admitted: admitted, discharged: draft.discharged, today: today)
            }
            if let date = draft.eventDate { try ClaimDraftRules.checkIncident(date, period: period, today: today) }
        } catch {
            return error.message
        }
        return nil
    }

    static func addTrail(
        _ db: any SQLConnection, claim: StoredRecord, claimId: String, step: String, state: String, note: String?,
        operator: String, now: Date, duration: Int? = nil
    ) throws {
        let id = UUID().uuidString.lowercased()
        let fields: FieldMap = [
            "claimId": .string(claimId), "step": .string(step), "state": .string(state),
            "note": note.map(FieldValue.string) ?? .null, "operator": .string(`operator`),
            "at": .string(Timestamp.format(now)), "durationSeconds": duration.map { .int(Int64($0)) } ?? .null,
        ]
        try ServerWrites.insert(
            ServerTables.trail, id: id, fields, orgPath: claim.orgPath, memberId: claim.memberId, now: now, db)
    }

    /// A member's claim is accepted by the agency its unit belongs to (the unit's parent).
    static func acceptingAgency(orgPath: String) -> String {
        let parts = orgPath.split(separator: "/").map(String.init)
        return parts.count >= 2 ? parts[parts.count - 2] : parts.last ?? ""
    }

    static func decodeList(_ json: String?) -> [String] {
        SupplementRequest(json: json)?.items ?? []
    }
}

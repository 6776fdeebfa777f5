import Foundation
import GRDB
import MutualAidDomain

/// Reading claims and enrolments out of the replica into the public views.
extension MemberClient {
    static func int(_ v: FieldValue?) -> Int? { if case .int(let i) = v { Int(i) } else { nil } }

    func enrolmentViews(_ db: Database) throws -> [EnrolmentView] {
        let standards = try database.table(.claimStandard).all(db)
        return try database.table(.enrolment).all(db).map { id, f in
            let activityId = f["activityId"]?.stringValue ?? ""
            return EnrolmentView(
                id: id, unit: f["unitName"]?.stringValue ?? "", insuredName: f["insuredName"]?.stringValue ?? "",
                relation: f["relation"]?.stringValue ?? "本人",
                idNumber: ResidentID.masked(f["idNumber"]?.stringValue ?? ""),
                activity: f["activityName"]?.stringValue ?? "", activityId: activityId,
                periodStart: f["periodStart"]?.stringValue ?? "", periodEnd: f["periodEnd"]?.stringValue ?? "",
                shares: Self.int(f["shares"]) ?? 0, fee: f["fee"]?.stringValue ?? "",
                renewal: Self.int(f["renewal"]) == 1,
                standards: standards.filter { $0.fields["activityId"]?.stringValue == activityId }.map {
                    .init(
                        id: $0.id, claimType: $0.fields["claimType"]?.stringValue ?? "",
                        name: $0.fields["name"]?.stringValue ?? "")
                })
        }.sorted { ($0.periodStart, $0.id) > ($1.periodStart, $1.id) }
    }

    func checklist(_ db: Database, claimType: String) throws -> [(line: MaterialRequirement, order: Int)] {
        try database.table(.materialItem).all(db, where: "claim_type = ?", arguments: [claimType]).map { _, f in
            (
                MaterialRequirement(
                    item: f["item"]?.stringValue ?? "", name: f["name"]?.stringValue ?? "",
                    required: Self.int(f["required"]) == 1, maxCount: Self.int(f["maxCount"]) ?? 1),
                Self.int(f["sortOrder"]) ?? 0
            )
        }.sorted { $0.order < $1.order }
    }

    func materialViews(_ db: Database, claimId: String) throws -> [MaterialView] {
        // Only this claim's uploads: a field worker's replica holds thousands of others.
        let done = Set(
            try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT material_id FROM material_upload WHERE done = 1
                        AND material_id IN (SELECT id FROM claim_material WHERE claim_id = ?)
                        """), arguments: [claimId]))
        return try database.table(.claimMaterial).all(db, where: "claim_id = ?", arguments: [claimId]).map { id, f in
            MaterialView(
                id: id, item: f["item"]?.stringValue ?? "", sha256: f["sha256"]?.stringValue ?? "",
                bytes: Self.int(f["bytes"]) ?? 0, contentType: f["contentType"]?.stringValue ?? "",
                uploaded: Self.int(f["verified"]) == 1 || done.contains(id))
        }.sorted { ($0.item, $0.id) < ($1.item, $1.id) }
    }

    func claimView(_ db: Database, id: String) throws -> ClaimView? {
        guard let record = try database.table(.claim).load(db, id: id) else { return nil }
        return try claimView(db, id: id, record: record)
    }

    /// The view of a claim whose row this transaction already holds.
    func claimView(_ db: Database, id: String, record: VersionedRecord) throws -> ClaimView {
        let f = record.fields
        let draft = ClaimDraft(fields: f)
        let materials = try materialViews(db, claimId: id)
        let trail = try database.table(.claimTrail).all(db, where: "claim_id = ?", arguments: [id]).map { _, t in
            TrailView(
                step: t["step"]?.stringValue ?? "", state: t["state"]?.stringValue ?? "",
                stateText: ClaimStateText.text(t["state"]?.stringValue ?? ""), note: t["note"]?.stringValue,
                operator: t["operator"]?.stringValue ?? "", at: t["at"]?.stringValue ?? "")
        }.sorted { $0.at < $1.at }
        let state = try localState(db, id: id, fields: f, materials: materials)
        let createdAt = try String.fetchOne(
            db.cachedStatement(sql: "SELECT created_at FROM claim WHERE id = ?"), arguments: [id])
        let type = draft.claimType
        return ClaimView(
            id: id, caseNumber: f["caseNumber"]?.stringValue, state: state, stateText: ClaimStateText.text(state),
            claimType: type?.rawValue ?? "", claimTypeText: type?.chineseName ?? "", standards: draft.standardIds,
            enrolmentId: draft.enrolmentId, admitted: draft.admitted?.description,
            discharged: draft.discharged?.description,
            days: draft.days, incidentDate: draft.incidentDate?.description, hospital: draft.hospital,
            diagnosis: draft.diagnosis,
            note: f["note"]?.stringValue,
            payee: .init(
                relation: draft.payeeRelation, name: draft.payeeName, mobile: draft.payeeMobile,
                bankAccount: draft.payeeBankAccount, bankName: draft.payeeBankName),
            amount: f["amount"]?.stringValue,
            source: f["source"]?.stringValue.flatMap { CaseSource(rawValue: $0)?.chineseName ?? $0 },
            createdAt: createdAt,
            supplementItems: SupplementRequest(json: f["supplementItems"]?.stringValue)?.items ?? [],
            materials: materials, trail: trail,
            holder: f["holderName"]?.stringValue.map { "\($0)（\(f["holderLogin"]?.stringValue ?? "")）" },
            restricted: Self.int(f["restricted"]) == 1, archiveNumber: f["archiveNumber"]?.stringValue,
            paymentReference: f["paymentReference"]?.stringValue,
            paymentFailure: f["paymentFailure"]?.stringValue, linkedCase: f["linkedCase"]?.stringValue,
            settlementSheets: try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM settlement_sheet WHERE claim_id = ?"), arguments: [id])
                ?? 0,
            benefit: try calculatedBenefit(db, id: id, amount: f["amount"]))
    }

    /// The server's state, or what the client knows before the server has answered.
    private func localState(_ db: Database, id: String, fields f: FieldMap, materials: [MaterialView]) throws -> String
    {
        let server = f["state"]?.stringValue ?? CaseState.draft.rawValue
        let submission = Self.int(f["submission"]) ?? 0
        let handled = Self.int(f["handledSubmission"]) ?? 0
        guard submission > handled else { return server }
        if server == CaseState.supplementRequested.rawValue { return "supplement-pending-sync" }
        let unsent = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE record_id = ?", arguments: [id]) ?? 0
        return unsent > 0 || materials.contains { !$0.uploaded } ? "pending-sync" : "awaiting-acceptance"
    }

    /// A claim by full id, id prefix (8+ characters) or case number.
    func resolveClaim(_ db: Database, _ reference: String) throws -> String {
        // Each arm is an index lookup (an `OR` with `LIKE` scanned every claim at every edit).
        let ids = try String.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id FROM claim WHERE id = ?1
                    UNION SELECT id FROM claim WHERE case_number = ?1
                    UNION SELECT id FROM claim WHERE length(?1) >= 8 AND \(IdPrefix.condition)
                    LIMIT 2
                    """), arguments: [reference])
        guard ids.count == 1 else {
            throw ClientError.invalidInput(
                RuleViolation(
                    field: "claim",
                    message: ids.isEmpty
                        ? "本机没有这件申领，请用 member-cli claim list 查看编号" : "编号不唯一，请输入更长的编号"))
        }
        return ids[0]
    }
}

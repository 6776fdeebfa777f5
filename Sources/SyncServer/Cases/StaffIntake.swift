import Foundation
import MutualAidDomain
import SyncStorage

/// Acceptance (申领受理) by a unit clerk or an agent: the claim gets its case number at once,
/// belongs to the accepting organisation, and its accepter holds it for cost entry.
enum StaffIntake {
    /// A new claim pushed by staff: it must name an enrolment in the actor's subtree, whose
    /// member it is for.
    static func create(_ db: any SQLConnection, claimId: String, change: Change, by principal: Principal, now: Date)
        throws
        -> Result<StoredRecord, RuleViolation>
    {
        guard principal.role == .unit || principal.role == .agent else {
            return .failure(RuleViolation(field: "role", message: "申领受理由基层单位经办人或县级、市级代办机构办理"))
        }
        guard let enrolmentId = change.fields["enrolmentId"]?.stringValue,
            let enrolment = try db.fetchOne(
                sql: "SELECT member_id, org_path FROM enrolment WHERE id = ?", arguments: [enrolmentId]),
            principal.scope.contains(orgPath: try enrolment["org_path"])
        else {
            return .failure(RuleViolation(field: "enrolmentId", message: "参保记录不存在或不在您的管辖范围内"))
        }
        if let violation = try CostEntryChecks.disability(db, [:], change) { return .failure(violation) }
        let draft = ClaimDraft(fields: change.fields)
        let offered = Set(
            try db.fetchValues(
                String.self,
                sql: """
                    SELECT s.id FROM claim_standard s JOIN enrolment e ON e.activity_id = s.activity_id
                    WHERE e.id = ? AND s.claim_type = ?
                    """, arguments: [enrolmentId, draft.claimType?.rawValue]))
        guard draft.claimType != nil, !draft.standardIds.isEmpty, Set(draft.standardIds).isSubset(of: offered) else {
            return .failure(RuleViolation(field: "standardIds", message: "所选申领标准不属于该参保记录或申领类型"))
        }
        let table = ClaimTable()
        try table.rows.insert(
            db, recordId: claimId, VersionedRecord(fields: ["state": .string(CaseState.draft.rawValue)]),
            extra: ["member_id": enrolment["member_id"] as String, "org_path": enrolment["org_path"] as String])
        return .success(try table.load(db, recordId: claimId)!)
    }

    /// Runs after the staff-created claim's fields are merged: draft → accepted.
    static func accept(
        _ db: any SQLConnection, _ c: inout CaseRecord, source: CaseSource, extra: FieldMap = [:],
        by principal: Principal, now: Date
    ) throws {
        let actor = CaseActor(role: principal.role, level: principal.orgLevel, caseInSubtree: true, acceptedCase: true)
        let transition = try CaseWorkflow.apply(.acceptCase, to: CaseSnapshot(state: .draft, source: source), by: actor)
        let number = try CaseNumbers.next(
            db, prefix: "CL", officeCode: CaseNumbers.officeCode(db, orgPath: c.stored.orgPath), now: now)
        var changes: FieldMap = [
            "caseNumber": .string(number), "state": .string(transition.to.rawValue), "source": .string(source.rawValue),
            "acceptedAt": .string(Timestamp.format(now)), "acceptedBy": .string(principal.orgId),
            "holderLogin": .string(principal.login), "holderName": .string(principal.name), "submission": .int(0),
            "handledSubmission": .int(0),
            "restricted": .int(try Restrictions.isRestricted(db, memberId: c.stored.memberId) ? 1 : 0),
        ]
        changes.merge(extra) { _, new in new }
        try c.commit(changes, trail: (transition.step, "已受理，案件号 \(number)"), by: principal.name, now: now, db)
        try MessageBox.claimAccepted(
            db, claimId: c.id, claim: c.stored, caseNumber: number, linkedCase: extra["linkedCase"]?.stringValue,
            now: now)
    }
}

/// `case_action` records: each one is performed when it is pushed, and kept as an audit row.
struct CaseActionTable: RowBackedTable {
    let rows = RowTable(spec: .caseAction)

    func create(_ db: any SQLConnection, recordId: String, change: Change, by principal: Principal) throws -> Result<
        StoredRecord, RuleViolation
    > {
        guard change.op == .upsert else { return .failure(ServerTables.notFound) }
        let now = Date()
        if let violation = try CaseActions.perform(db, change.fields, by: principal, now: now) {
            return .failure(violation)
        }
        let claim = try change.fields["claimId"]?.stringValue.flatMap { try ClaimTable().load(db, recordId: $0) }
        try rows.insert(
            db, recordId: recordId, VersionedRecord(fields: change.fields),
            extra: [
                "member_id": claim?.memberId, "org_path": claim?.orgPath ?? "", "account_id": principal.accountId,
                "applied_at": Timestamp.format(now),
            ])
        return .success(try rows.load(db, recordId: recordId)!)
    }

    /// An action is done once; the same record id again is a different change.
    func checkWrite(_ db: any SQLConnection, _ stored: StoredRecord, change: Change, by principal: Principal) throws
        -> RuleViolation?
    {
        RuleViolation(field: "id", message: "案件操作已办理，不能修改")
    }
}

/// Settlement sheets are entered by the staff member holding the case during cost entry or
/// first review.
struct SettlementTable: RowBackedTable, FollowUpWork {
    let rows = RowTable(spec: .settlementSheet)

    func create(_ db: any SQLConnection, recordId: String, change: Change, by principal: Principal) throws -> Result<
        StoredRecord, RuleViolation
    > {
        guard let claimId = change.fields["claimId"]?.stringValue, let c = try CaseRecord.load(db, id: claimId),
            c.actor(principal).caseInSubtree
        else { return .failure(ServerTables.notFound) }
        if let v = Self.mayEnterCosts(c, principal) { return .failure(v) }
        try rows.insert(
            db, recordId: recordId, VersionedRecord(fields: ["claimId": .string(claimId)]),
            extra: ["member_id": c.stored.memberId, "org_path": c.stored.orgPath])
        return .success(try rows.load(db, recordId: recordId)!)
    }

    func checkWrite(_ db: any SQLConnection, _ stored: StoredRecord, change: Change, by principal: Principal) throws
        -> RuleViolation?
    {
        guard let claimId = stored.record.fields["claimId"]?.stringValue, let c = try CaseRecord.load(db, id: claimId)
        else {
            return ServerTables.notFound
        }
        if change.fields["claimId"].map({ $0 != .string(claimId) }) == true {
            return RuleViolation(field: "claimId", message: "结算单不能改到别的案件")
        }
        return Self.mayEnterCosts(c, principal)
    }

    /// A changed or deleted sheet voids an amount calculated from the old one.
    func afterApply(_ db: any SQLConnection, recordId: String, by principal: Principal, now: Date) throws {
        guard let claimId = try rows.load(db, recordId: recordId)?.record.fields["claimId"]?.stringValue else { return }
        try CaseCalculation.voidIfStale(db, claimId: claimId, now: now)
    }

    func delete(_ db: any SQLConnection, recordId: String) throws {
        let claimId = try rows.load(db, recordId: recordId)?.record.fields["claimId"]?.stringValue
        try rows.delete(db, recordId: recordId)
        if let claimId { try CaseCalculation.voidIfStale(db, claimId: claimId, now: Date()) }
    }

    static func mayEnterCosts(_ c: CaseRecord, _ principal: Principal) -> RuleViolation? {
        guard principal.role != .member else { return RuleViolation(field: "role", message: CostEntry.sheetRefusal) }
        guard c.text("holderLogin") == principal.login else {
            return RuleViolation(field: "holder", message: "请先获取该案件（member-cli case acquire）再录入费用")
        }
        guard c.state == .accepted || c.state == .firstReview else {
            return RuleViolation(field: "state", message: "案件当前状态为「\(c.state.chineseName)」，不能录入费用")
        }
        return nil
    }
}

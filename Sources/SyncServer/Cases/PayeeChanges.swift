import Foundation
import MutualAidDomain
import SyncStorage

/// Card-number change (卡号修改) and supplementary payment (申领补赔).
enum PayeeChanges {
    static func changeCard(
        _ db: any SQLConnection, _ c: inout CaseRecord, account: String, bank: String, note: String?,
        by principal: Principal, now: Date
    ) throws -> RuleViolation? {
        guard principal.role == .agent || principal.role == .office || principal.role == .finance else {
            return RuleViolation(field: "role", message: "只有代办机构、办事处或财务可以修改领款卡号")
        }
        guard ![.closed, .cancelled, .rejected, .draft].contains(c.state) else {
            return RuleViolation(field: "state", message: "案件当前状态为「\(c.state.chineseName)」，不能修改卡号")
        }
        var changes: FieldMap = ["payeeBankAccount": .string(account), "payeeBankName": .string(bank)]
        let next = CaseWorkflow.stateAfterCardChange(c.state)
        if next != c.state {
            // A failed payment goes back to finance with the new card; the bank's reason is done.
            changes["state"] = .string(next.rawValue)
            changes["paymentFailure"] = .null
        }
        try c.commit(changes, trail: ("卡号修改", note), by: principal.name, now: now, db)
        return nil
    }

    /// A new case linked to a closed one, accepted by the actor's agency, for a further payment.
    static func supplementaryPayment(
        _ db: any SQLConnection, _ c: CaseRecord, note: String?, by principal: Principal, now: Date
    )
        throws -> RuleViolation?
    {
        guard c.state == .closed else { return RuleViolation(field: "state", message: "只有已结案的案件可以补赔") }
        guard principal.role == .agent || principal.role == .office else {
            return RuleViolation(field: "role", message: "补赔由代办机构或办事处受理")
        }
        let id = UUID().uuidString.lowercased()
        let copied = [
            "claimType", "enrolmentId", "standardIds", "admitted", "discharged", "incidentDate", "hospital",
            "diagnosis",
            "payeeRelation", "payeeName", "payeeMobile", "payeeBankAccount", "payeeBankName", "insuredStatus",
        ]
        var fields = FieldMap()
        for key in copied { fields[key] = c.fields[key] ?? .null }
        fields["note"] = note.map(FieldValue.string) ?? .null
        try ClaimTable().rows.insert(
            db, recordId: id, VersionedRecord(fields: fields, clocks: ServerWrites.clocks(fields, now: now)),
            extra: ["member_id": c.stored.memberId, "org_path": c.stored.orgPath, "state": "draft"])
        guard var linked = try CaseRecord.load(db, id: id) else { return ServerTables.notFound }
        let source: CaseSource = principal.role == .unit ? .unit : .office
        try StaffIntake.accept(
            db, &linked, source: source, extra: ["linkedCase": .string(c.text("caseNumber") ?? c.id)],
            by: principal, now: now)
        return nil
    }
}

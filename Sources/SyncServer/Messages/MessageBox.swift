import Foundation
import MutualAidDomain
import SyncStorage

/// Writes messages (消息中心) in the caller's transaction, so a message exists exactly when the
/// change it reports does and a refused action leaves none. The wording is the shared
/// `Messages`; here a message is only addressed, stamped, stored and fed.
enum MessageBox {
    /// To one member: the feed hands it to that member's devices alone.
    static func send(
        _ draft: MessageDraft, toMember memberId: String, orgPath: String, about subjectId: String?, now: Date,
        _ db: any SQLConnection
    ) throws {
        try insert(draft, orgPath: orgPath, memberId: memberId, subjectId: subjectId, now: now, db)
    }

    /// To the accounts of exactly this organisation (a unit's clerks), not the agencies above it.
    static func send(
        _ draft: MessageDraft, toOrg orgPath: String, about subjectId: String?, now: Date, _ db: any SQLConnection
    ) throws {
        try insert(draft, orgPath: orgPath, memberId: nil, subjectId: subjectId, now: now, db)
    }

    private static func insert(
        _ draft: MessageDraft, orgPath: String, memberId: String?, subjectId: String?, now: Date,
        _ db: any SQLConnection
    ) throws {
        let fields: FieldMap = [
            "kind": .string(draft.kind.rawValue), "text": .string(draft.text), "at": .string(Timestamp.format(now)),
            "caseNumber": draft.caseNumber.map(FieldValue.string) ?? .null,
            "subjectId": subjectId.map(FieldValue.string) ?? .null, "read": .int(0),
        ]
        try ServerWrites.insert(
            MessageTable().rows, id: UUID().uuidString.lowercased(), fields, orgPath: orgPath, memberId: memberId,
            now: now, db)
    }
}

// MARK: The business changes that send one

extension MessageBox {
    /// A claim became a case (the member's submission or a staff acceptance).
    static func claimAccepted(
        _ db: any SQLConnection, claimId: String, claim: StoredRecord, caseNumber: String, linkedCase: String? = nil,
        now: Date
    ) throws {
        guard let memberId = claim.memberId else { return }
        try send(
            Messages.claimAccepted(caseNumber: caseNumber, linkedCase: linkedCase), toMember: memberId,
            orgPath: claim.orgPath, about: claimId, now: now, db)
    }

    /// After a step of the case state machine, as the case now stands.
    static func caseStep(_ db: any SQLConnection, _ c: CaseRecord, _ transition: Transition, now: Date) throws {
        guard let memberId = c.stored.memberId else { return }
        var itemNames: [String: String] = [:]
        if case .requestSupplement = transition.action {
            for row in try db.fetchAll(
                sql: "SELECT item, name FROM material_item WHERE claim_type = ?", arguments: [c.text("claimType")])
            {
                itemNames[try row["item"]] = try row["name"]
            }
        }
        guard
            let draft = Messages.forCaseStep(
                transition, caseNumber: c.text("caseNumber"), amount: c.text("amount"), itemNames: itemNames)
        else { return }
        try send(draft, toMember: memberId, orgPath: c.stored.orgPath, about: c.id, now: now, db)
    }

    /// After a step of the enrolment state machine: the application's unit hears of its outcome.
    static func enrolmentStep(
        _ db: any SQLConnection, _ app: ApplicationRecord, _ step: EnrolmentWorkflow.Step, _ action: EnrolmentAction,
        now: Date
    ) throws {
        guard
            let draft = Messages.forEnrolmentStep(
                step, action: action, application: app.text("applicationDate").map { "申请日期 \($0)" },
                letterNumber: app.text("letterNumber"), periodStart: app.text("periodStart"),
                periodEnd: app.text("periodEnd"))
        else { return }
        try send(draft, toOrg: app.stored.orgPath, about: app.id, now: now, db)
    }
}

import Foundation
import MutualAidDomain
import SyncStorage

/// A claim as the workflow sees it: the stored record plus the snapshot and actor the shared
/// state machine needs. Writes go back through `commit`, which stamps, saves and feeds.
struct CaseRecord {
    let id: String
    var stored: StoredRecord
    var fields: FieldMap { stored.record.fields }

    static func load(_ db: any SQLConnection, id: String) throws -> CaseRecord? {
        try ClaimTable().load(db, recordId: id).map { CaseRecord(id: id, stored: $0) }
    }

    func text(_ key: String) -> String? { fields[key]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
    func int(_ key: String) -> Int? { if case .int(let i) = fields[key] { Int(i) } else { nil } }

    var state: CaseState { text("state").flatMap(CaseState.init(rawValue:)) ?? .draft }

    var snapshot: CaseSnapshot {
        CaseSnapshot(
            state: state, amount: text("amount").flatMap(Money.init),
            source: text("source").flatMap(CaseSource.init(rawValue:)) ?? .memberApp,
            suspendedFrom: text("suspendedFrom").flatMap(CaseState.init(rawValue:)),
            supplementFrom: SupplementRequest(json: text("supplementItems")).flatMap {
                CaseState(rawValue: $0.returnTo)
            },
            detourFrom: text("detourFrom").flatMap(CaseState.init(rawValue:)),
            officeReviewed: int("officeReviewed") == 1)
    }

    func actor(_ principal: Principal) -> CaseActor {
        let inScope: Bool =
            switch principal.scope {
            case .member(let memberId): stored.memberId == memberId
            case .subtree: !stored.isPrivate && principal.scope.contains(orgPath: stored.orgPath)
            }
        // A case a unit accepted belongs, for its reviews, to the agency of that unit too.
        let acceptedBy = text("acceptedBy")
        let unit = stored.orgPath.split(separator: "/").last.map(String.init)
        let accepted =
            acceptedBy == principal.orgId
            || (acceptedBy != nil && acceptedBy == unit
                && ClaimIntake.acceptingAgency(orgPath: stored.orgPath) == principal.orgId)
        return CaseActor(
            role: principal.role, level: principal.orgLevel, caseInSubtree: inScope, acceptedCase: accepted)
    }

    /// Writes server-owned fields, feeds the change and, for a state change, the trail.
    mutating func commit(
        _ changes: FieldMap, trail: (step: String, note: String?)?, by operatorName: String,
        now: Date, _ db: any SQLConnection
    ) throws {
        let started = text("stepStartedAt").flatMap(Timestamp.parse)
        var changes = changes
        let newState = changes["state"]?.stringValue
        if let newState, newState != state.rawValue { changes["stepStartedAt"] = .string(Timestamp.format(now)) }
        try ServerWrites.update(ClaimTable(), id: id, &stored, changes, now: now, db)
        if let trail {
            try ClaimIntake.addTrail(
                db, claim: stored, claimId: id, step: trail.step, state: newState ?? state.rawValue,
                note: trail.note, operator: operatorName, now: now,
                duration: started.map { Int(now.timeIntervalSince($0)) })
        }
    }
}

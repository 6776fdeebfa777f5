import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// Acquire and release (获取、释放) of applications and unit registrations in their work pools,
/// arriving as `work_action` records; the rules are `PoolHolding`'s.
enum PoolHolds {
    static let registrations = RowTable(spec: .unitRegistration)

    static func perform(
        _ db: any SQLConnection, _ request: WorkRequest, acquire: Bool, by principal: Principal, now: Date
    ) throws -> (violation: RuleViolation?, orgPath: String) {
        let id = request.subjectId
        var stored: StoredRecord
        let table: any ServerTable
        let step: EnrolmentPoolStep?
        let stateName: String
        switch request.subject {
        case .enrolment:
            guard let app = try ApplicationRecord.load(db, id: id) else { return (ServerTables.notFound, "") }
            (stored, table, step, stateName) = (
                app.stored, ApplicationTable(), .waiting(app.state), app.state.chineseName
            )
        case .registration:
            guard let reg = try registrations.load(db, recordId: id) else { return (ServerTables.notFound, "") }
            let state = reg.record.fields["state"]?.stringValue ?? ""
            (stored, table, step, stateName) = (
                reg, registrations, .waiting(registration: state), RegistrationStatus.chineseName(state)
            )
        case .unit:
            return (RuleViolation(field: "subject", message: "单位不在工作池中"), "")
        }
        let actor = EnrolmentActor(
            role: principal.role, level: principal.orgLevel,
            inSubtree: principal.role != .member && principal.scope.contains(orgPath: stored.orgPath))
        guard actor.inSubtree else { return (ServerTables.notFound, "") }
        let holder = Self.holder(stored.record.fields)
        do throws(RuleViolation) {
            if acquire {
                try PoolHolding.checkAcquire(
                    at: step, stateName: stateName, holder: holder, by: principal.login, actor)
            } else {
                try PoolHolding.checkRelease(holder: holder, by: principal.login)
            }
        } catch {
            return (error, stored.orgPath)
        }
        let changes: FieldMap =
            acquire
            ? ["holderLogin": .string(principal.login), "holderName": .string(principal.name)]
            : Self.cleared
        try ServerWrites.update(table, id: id, &stored, changes, now: now, db)
        return (nil, stored.orgPath)
    }

    /// The fields that put an item back in its pool, also written when it moves to another step.
    static let cleared: FieldMap = ["holderLogin": .null, "holderName": .null]

    static func holder(_ f: FieldMap) -> PoolHolder? {
        f["holderLogin"]?.stringValue.map { PoolHolder(login: $0, name: f["holderName"]?.stringValue ?? $0) }
    }
}

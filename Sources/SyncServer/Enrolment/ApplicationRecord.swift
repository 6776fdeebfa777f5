import Foundation
import MutualAidDomain
import SyncStorage

/// An enrolment application as the workflow sees it: the stored record, typed accessors, and
/// `commit`, which stamps, saves, feeds and writes the trail.
struct ApplicationRecord {
    let id: String
    var stored: StoredRecord
    var fields: FieldMap { stored.record.fields }

    static func load(_ db: any SQLConnection, id: String) throws -> ApplicationRecord? {
        try ApplicationTable().load(db, recordId: id).map { ApplicationRecord(id: id, stored: $0) }
    }

    func text(_ key: String) -> String? { fields[key]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
    func int(_ key: String) -> Int { if case .int(let i) = fields[key] { Int(i) } else { 0 } }
    var state: EnrolmentState { text("state").flatMap(EnrolmentState.init(rawValue:)) ?? .draft }
    var unitId: String { text("unitId") ?? stored.orgPath.split(separator: "/").last.map(String.init) ?? "" }

    var lines: [EnrolmentLine] { JSONText.decode([EnrolmentLine].self, text("lines")) ?? [] }
    var fees: [ActivityFees] { JSONText.decode([ActivityFees].self, text("fees")) ?? [] }

    func actor(_ principal: Principal) -> EnrolmentActor {
        EnrolmentActor(
            role: principal.role, level: principal.orgLevel,
            inSubtree: principal.role != .member && principal.scope.contains(orgPath: stored.orgPath))
    }

    /// Runs the shared state machine; a refusal is thrown as the change's answer.
    mutating func apply(
        _ action: EnrolmentAction, extra: FieldMap = [:], by principal: Principal,
        now: Date, _ db: any SQLConnection
    ) throws {
        let step = try EnrolmentWorkflow.apply(action, to: state, by: actor(principal))
        var changes = extra.merging(PoolHolds.cleared) { mine, _ in mine }  // the next step's pool
        changes["state"] = .string(step.to.rawValue)
        try commit(changes, trail: (step.step, step.note), by: principal.name, now: now, db)
        try MessageBox.enrolmentStep(db, self, step, action, now: now)
    }

    mutating func commit(
        _ changes: FieldMap, trail: (step: String, note: String?)?, by operatorName: String,
        now: Date, _ db: any SQLConnection
    ) throws {
        try ServerWrites.update(ApplicationTable(), id: id, &stored, changes, now: now, db)
        guard let trail else { return }
        try addTrail(step: trail.step, note: trail.note, by: operatorName, now: now, db)
    }

    /// One line of the application's trail, for the state it is in now.
    func addTrail(step: String, note: String?, by operatorName: String, now: Date, _ db: any SQLConnection) throws {
        let fields: FieldMap = [
            "applicationId": .string(id), "step": .string(step), "state": .string(state.rawValue),
            "note": note.map(FieldValue.string) ?? .null, "operator": .string(operatorName),
            "at": .string(Timestamp.format(now)),
        ]
        try ServerWrites.insert(
            RowTable(spec: .enrolmentTrail), id: UUID().uuidString.lowercased(), fields,
            orgPath: stored.orgPath, now: now, db)
    }
}

extension FieldValue {
    /// A value stored as JSON text in a field.
    static func json(_ value: some Encodable) -> FieldValue { .string(JSONText.encode(value)) }
}

import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// What came of taking a person off the restricted list.
public enum RestrictionLiftOutcome: Sendable, Equatable {
    case lifted(RestrictedPerson)
    case refused(RuleViolation)
    case notFound
}

/// The restricted list (限制名单) of the caller's subtree, and the office taking a person off
/// it: the mark moves to `restriction_lift` with who, when and why, and the person's claims
/// lose their flag in the same transaction, so no reviewer sees a warning that was lifted.
extension SQLCaseStore {
    public func restrictedPersons(for principal: Principal, lifted: Bool) async throws -> [RestrictedPerson] {
        try await database.read { db in
            let sql =
                lifted
                ? """
                SELECT r.id_number, r.note, r.marked_by, r.marked_at, r.lifted_by, r.lifted_at, r.lift_note,
                       m.id AS member_id, m.name, o.name AS unit_name
                  FROM restriction_lift r JOIN member m ON m.id_number = r.id_number JOIN org o ON o.id = m.unit_id
                 WHERE o.path >= ? AND o.path < ? ORDER BY r.lifted_at DESC, r.id
                """
                : """
                SELECT r.id_number, r.note, r.marked_by, r.marked_at, m.id AS member_id, m.name, o.name AS unit_name
                  FROM restricted_person r JOIN member m ON m.id_number = r.id_number JOIN org o ON o.id = m.unit_id
                 WHERE o.path >= ? AND o.path < ? ORDER BY r.marked_at DESC, r.id_number
                """
            return try db.fetchAll(sql: sql, arguments: [principal.orgPath, principal.orgPath + "\u{10FFFF}"]).map {
                row in
                var person = RestrictedPerson(
                    idNumber: try row["id_number"], name: try row["name"], unitName: try row["unit_name"],
                    note: try row["note"], markedBy: try row["marked_by"], markedAt: try row["marked_at"],
                    cases: try Self.caseNumbers(db, memberId: try row["member_id"], in: principal))
                if lifted {
                    person.liftedBy = try row["lifted_by"]
                    person.liftedAt = try row["lifted_at"]
                    person.liftNote = try row["lift_note"]
                }
                return person
            }
        }
    }

    public func liftRestriction(idNumber: String, note: String, by principal: Principal, now: Date) async throws
        -> RestrictionLiftOutcome
    {
        if let violation = RestrictionRules.mayLift(principal.role) ?? RestrictionRules.liftNoteViolation(note) {
            return .refused(violation)
        }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        let idNumber = idNumber.uppercased()
        return try await database.write { db in
            guard
                let row = try db.fetchOne(
                    sql: """
                        SELECT r.note, r.marked_by, r.marked_at, m.id AS member_id, m.name, o.name AS unit_name
                          FROM restricted_person r JOIN member m ON m.id_number = r.id_number
                          JOIN org o ON o.id = m.unit_id
                         WHERE r.id_number = ? AND o.path >= ? AND o.path < ?
                        """, arguments: [idNumber, principal.orgPath, principal.orgPath + "\u{10FFFF}"])
            else { return .notFound }
            let memberId: String = try row["member_id"]
            let stamp = Timestamp.format(now)
            try db.execute(
                sql: """
                    INSERT INTO restriction_lift
                        (id, id_number, note, marked_by, marked_at, lifted_by, lifted_at, lift_note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    UUID().uuidString.lowercased(), idNumber, try row["note"] as String?,
                    try row["marked_by"] as String,
                    try row["marked_at"] as String, principal.login, stamp, note,
                ])
            try db.execute(sql: "DELETE FROM restricted_person WHERE id_number = ?", arguments: [idNumber])
            for id in try db.fetchValues(
                String.self, sql: "SELECT id FROM claim WHERE member_id = ? AND restricted = 1", arguments: [memberId])
            {
                guard var claim = try CaseRecord.load(db, id: id) else { continue }
                try claim.commit(
                    ["restricted": .int(0)], trail: ("解除限制名单", note), by: principal.name, now: now, db)
            }
            return .lifted(
                RestrictedPerson(
                    idNumber: idNumber, name: try row["name"], unitName: try row["unit_name"], note: try row["note"],
                    markedBy: try row["marked_by"], markedAt: try row["marked_at"],
                    cases: try Self.caseNumbers(db, memberId: memberId, in: principal), liftedBy: principal.login,
                    liftedAt: stamp, liftNote: note))
        }
    }

    private static func caseNumbers(_ db: any SQLConnection, memberId: String, in principal: Principal) throws
        -> [String]
    {
        try db.fetchValues(
            String.self,
            sql: """
                SELECT case_number FROM claim
                 WHERE member_id = ? AND case_number IS NOT NULL AND org_path >= ? AND org_path < ?
                 ORDER BY accepted_at DESC, case_number DESC
                """, arguments: [memberId, principal.orgPath, principal.orgPath + "\u{10FFFF}"])
    }
}

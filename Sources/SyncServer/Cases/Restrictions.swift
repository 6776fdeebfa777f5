import Foundation
import MutualAidDomain
import SyncStorage

/// The restricted list (限制名单): a marked person's every claim, open or later, is flagged to
/// reviewers.
enum Restrictions {
    static func isRestricted(_ db: any SQLConnection, memberId: String?) throws -> Bool {
        try db.fetchValue(
            Bool.self,
            sql: """
                SELECT 1 FROM restricted_person r JOIN member m ON m.id_number = r.id_number WHERE m.id = ?
                """, arguments: [memberId]) ?? false
    }

    static func mark(_ db: any SQLConnection, _ c: inout CaseRecord, note: String?, by principal: Principal, now: Date)
        throws
        -> RuleViolation?
    {
        if let violation = RestrictionRules.mayMark(principal.role) { return violation }
        try db.execute(
            sql: """
                INSERT INTO restricted_person (id_number, note, marked_by, marked_at)
                SELECT id_number, ?, ?, ? FROM member WHERE id = ?
                ON CONFLICT DO NOTHING
                """, arguments: [note, principal.login, Timestamp.format(now), c.stored.memberId])
        for id in try db.fetchValues(
            String.self,
            sql: "SELECT id FROM claim WHERE member_id = ? AND restricted = 0 AND state != 'draft'",
            arguments: [c.stored.memberId])
        {
            guard var other = try CaseRecord.load(db, id: id) else { continue }
            try other.commit(
                ["restricted": .int(1)], trail: id == c.id ? ("限制名单标记", note) : nil,
                by: principal.name, now: now, db)
        }
        return nil
    }
}

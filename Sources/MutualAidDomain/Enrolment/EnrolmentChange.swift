/// 增减员 (变更管理): persons added to or removed from a confirmed application by a change
/// application, which runs the same pipeline (reviews, invoicing of the difference, payment
/// check) and on confirmation changes the original's cover. Pure, shared by client and server.
public enum EnrolmentChange {
    /// Only a confirmed application (its letter issued, archived or not) can be changed.
    public static func isChangeable(_ state: EnrolmentState) -> Bool { state == .confirmed || state == .archived }

    /// The fee difference per activity of the change. The manual prices no part of a year, so
    /// each added person pays the full fee per share × shares, like a listed person of the
    /// original; a removal refunds nothing (the fee paid for the year is not returned), so it
    /// adds no amount. Activities with removals only appear with a zero amount.
    public static func fees(
        lines: [EnrolmentLine], added: [String: Int], catalogue: [String: ProtectionActivity]
    ) -> [ActivityFees] {
        lines.compactMap { line in
            guard let activity = catalogue[line.activityId] else { return nil }
            return ActivityFees(
                activityId: line.activityId, activityName: activity.name, feePerShare: activity.fee,
                shares: line.shares, insured: added[line.activityId] ?? 0)
        }
    }

    /// What a change must hold to be submitted: someone added or removed, and no one both.
    public static func validate(added: [String], removed: [String]) throws(RuleViolation) {
        guard !added.isEmpty || !removed.isEmpty else {
            throw RuleViolation(field: "list", message: "变更申请中没有增员或减员人员，请用 --add、--add-person 或 --remove 指定")
        }
        guard Set(added).isDisjoint(with: removed) else {
            throw RuleViolation(field: "list", message: "同一人员不能在一次变更中既增员又减员")
        }
    }

    /// The cover of a person added by a change confirmed on `confirmed`: from the next day (or
    /// the original's start, if later) to the original's end, which it never extends; nil when
    /// the original's period has run out.
    public static func addedCover(original: ProtectionPeriod, confirmed: CalendarDate) -> ProtectionPeriod? {
        let start = max(original.start, confirmed.adding(days: 1))
        return start <= original.end ? ProtectionPeriod(start: start, end: original.end) : nil
    }

    /// The last covered day of a person removed by a change confirmed on `confirmed`: that
    /// day (cover ends at its 24:00); a cover not yet started ends the day before its start,
    /// i.e. never runs; a cover already over keeps its end.
    public static func removedUntil(_ cover: ProtectionPeriod, confirmed: CalendarDate) -> CalendarDate {
        min(cover.end, max(confirmed, cover.start.adding(days: -1)))
    }
}

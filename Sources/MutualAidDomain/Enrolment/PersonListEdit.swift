/// Corrections of a listed row before submission (人员清单详情/修改): the corrected row must
/// pass exactly the rules an imported row passes, so a list edited by hand is no weaker than
/// one imported.
public enum PersonListEdit {
    /// What the clerk changes; nil keeps the value.
    public struct Correction: Hashable, Sendable {
        public var name: String?
        public var idNumber: String?
        public var mobile: String?
        public init(name: String? = nil, idNumber: String? = nil, mobile: String? = nil) {
            self.name = name
            self.idNumber = idNumber
            self.mobile = mobile
        }

        public var isEmpty: Bool { name == nil && idNumber == nil && mobile == nil }
    }

    /// The corrected row, or the rule it breaks. `listed` holds the ID numbers of the other
    /// rows of the same activity list; a running cover only matters when the ID number changes
    /// (the row as imported already passed that check, and its cover may have moved since).
    public static func apply(
        _ correction: Correction, to person: PersonListRules.Person, listed: Set<String>,
        coveredUntil: PersonListRules.CoverLookup, expectedStart: CalendarDate
    ) throws(RuleViolation) -> PersonListRules.Person {
        guard !correction.isEmpty else {
            throw RuleViolation(field: "person", message: "请用 --name、--new-id-number 或 --mobile 指定要修改的内容")
        }
        var corrected = person
        if let name = correction.name { corrected.name = PersonListRules.clean(name) }
        if let id = correction.idNumber { corrected.idNumber = idNumber(id) }
        if let mobile = correction.mobile { corrected.mobile = PersonListRules.clean(mobile) }
        let idChanged = corrected.idNumber != person.idNumber
        if let reason = PersonListRules.problem(
            corrected, firstSeen: nil, listed: listed,
            coveredUntil: idChanged ? coveredUntil : { _ in nil }, expectedStart: expectedStart)
        {
            throw RuleViolation(field: "person", message: reason)
        }
        return corrected
    }

    /// An ID number as typed, the way the list stores it (trimmed, upper-case X).
    public static func idNumber(_ text: String) -> String { PersonListRules.clean(text).uppercased() }
}

/// Who is acting on a case, as the caller has established it from the session and the org tree.
public struct CaseActor: Hashable, Sendable {
    public var role: Role
    public var level: OrgLevel
    /// The case's organisation path lies in the actor's subtree (for a member: it is their own claim).
    public var caseInSubtree: Bool
    /// The actor's organisation accepted the case. For unit- and member-filed cases the caller
    /// sets this for the unit's own agency (所属机构), which does first review and cost entry.
    public var acceptedCase: Bool

    public init(role: Role, level: OrgLevel, caseInSubtree: Bool = true, acceptedCase: Bool = false) {
        self.role = role
        self.level = level
        self.caseInSubtree = caseInSubtree
        self.acceptedCase = acceptedCase
    }
}

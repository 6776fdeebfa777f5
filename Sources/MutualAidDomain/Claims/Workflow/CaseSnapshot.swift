/// What the state machine needs to know about a case; the caller loads it and stores the result.
public struct CaseSnapshot: Codable, Hashable, Sendable {
    public var state: CaseState
    /// The benefit total of the latest claim calculation; nil before cost entry.
    public var amount: Money?
    public var source: CaseSource
    /// The state a suspended case resumes to.
    public var suspendedFrom: CaseState?
    /// The state a case returns to once the requested material is resubmitted.
    public var supplementFrom: CaseState?
    /// The review that sent the case to expert review, investigation or final review.
    public var detourFrom: CaseState?
    /// The office has reviewed the paper file (required to push 2000 yuan and more).
    public var officeReviewed: Bool

    public init(
        state: CaseState, amount: Money? = nil, source: CaseSource, suspendedFrom: CaseState? = nil,
        supplementFrom: CaseState? = nil, detourFrom: CaseState? = nil, officeReviewed: Bool = false
    ) {
        self.state = state
        self.amount = amount
        self.source = source
        self.suspendedFrom = suspendedFrom
        self.supplementFrom = supplementFrom
        self.detourFrom = detourFrom
        self.officeReviewed = officeReviewed
    }

    /// A new case of `source`, in the state it starts in on the server.
    public static func new(source: CaseSource, amount: Money? = nil) -> CaseSnapshot {
        CaseSnapshot(state: CaseState.initial(for: source), amount: amount, source: source)
    }
}

/// The outcome of one legal action: what changed, and the case as it is now.
public struct Transition: Codable, Hashable, Sendable {
    public var from: CaseState
    public var to: CaseState
    /// The step as the process trail names it (申领初审, 材料归档 …).
    public var step: String
    public var action: CaseAction
    public var note: String?
    /// The case after the action; the caller stores it.
    public var snapshot: CaseSnapshot
}

/// One row of the process trail (操作轨迹: step, state, note, time taken, operator).
/// The state machine supplies step, states and note; the caller adds who, when and how long.
public struct TrailEntry: Codable, Hashable, Sendable {
    public var step: String
    public var fromState: CaseState
    public var toState: CaseState
    public var operatorLogin: String
    public var note: String?
    /// When the step was finished, as the caller's clock writes it.
    public var at: String
    /// Time from acquiring the task to finishing it (办理时长).
    public var durationSeconds: Int

    public init(
        step: String, fromState: CaseState, toState: CaseState, operatorLogin: String, note: String?,
        at: String, durationSeconds: Int
    ) {
        self.step = step
        self.fromState = fromState
        self.toState = toState
        self.operatorLogin = operatorLogin
        self.note = note
        self.at = at
        self.durationSeconds = durationSeconds
    }

    public init(_ transition: Transition, operatorLogin: String, at: String, durationSeconds: Int) {
        self.init(
            step: transition.step, fromState: transition.from, toState: transition.to,
            operatorLogin: operatorLogin, note: transition.note, at: at, durationSeconds: durationSeconds)
    }
}

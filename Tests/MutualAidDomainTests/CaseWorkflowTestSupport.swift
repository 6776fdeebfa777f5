import MutualAidDomain
import Testing

/// The actors of DOMAIN §1, all inside the case's subtree.
enum WorkflowActors {
    static let county = CaseActor(role: .agent, level: .county, acceptedCase: true)
    static let city = CaseActor(role: .agent, level: .city)
    static let unit = CaseActor(role: .unit, level: .unit, acceptedCase: true)
    static let member = CaseActor(role: .member, level: .member)
    static let office = CaseActor(role: .office, level: .office)
    static let finance = CaseActor(role: .finance, level: .office)
}

/// Applies the steps in order and returns every transition, failing on the first refusal.
@discardableResult
func runWorkflow(_ start: CaseSnapshot, _ steps: [(CaseAction, CaseActor)]) throws -> [Transition] {
    var snapshot = start
    var transitions: [Transition] = []
    for (action, actor) in steps {
        let t = try CaseWorkflow.apply(action, to: snapshot, by: actor)
        #expect(t.from == snapshot.state)
        snapshot = t.snapshot
        transitions.append(t)
    }
    return transitions
}

let passReview = CaseAction.review(decision: .pass, note: nil)

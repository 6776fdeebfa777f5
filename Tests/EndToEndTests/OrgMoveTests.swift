import Foundation
import TestSupport
import Testing

/// 权限管理 · 调整上级机构: a unit moves from one county to another with its members' cases.
/// The old county no longer sees them after its next sync, the new one does and can work
/// them, the city above both keeps them, the member notices nothing; wrong moves are refused.
@Suite(.serialized) struct OrgMoveTests {
    @Test func aUnitMovesToAnotherCountyWithItsCases() throws {
        let o = try CaseWorkflowTests.Office(extraAgents: [(login: "ln-agent", org: "sl-ln")])
        defer { o.server.stop() }
        let (id, number) = try o.fileMemberClaim()
        func cases(_ login: String) throws -> [String] {
            try o.ok(login, ["sync"])
            return (try o.ok(login, ["claims", "search", "--offline"])["cases"] as? [[String: Any]] ?? [])
                .compactMap { $0["caseNumber"] as? String }
        }
        #expect(try cases("sz-agent").contains(number))
        #expect(try !cases("ln-agent").contains(number))

        // Refused: outside the actor's subtree, a unit under a unit, a county under a county.
        let move = ["admin", "org", "move", "unit-001", "--parent", "sl-ln"]
        let outside = try o.cli("sz-agent", move)
        #expect(outside.status != 0 && outside.stderr.contains("没有该上级机构"), "\(outside.stderr)")
        let underUnit = try o.cli("sl-agent", ["admin", "org", "move", "unit-001", "--parent", "unit-002"])
        #expect(underUnit.status != 0 && underUnit.stderr.contains("把参保单位调到代办机构下"), "\(underUnit.stderr)")
        let countyUnderCounty = try o.cli("office2602", ["admin", "org", "move", "sl-sz", "--parent", "sl-ln"])
        #expect(countyUnderCounty.status != 0 && countyUnderCounty.stderr.contains("县级代办机构调到市级机构下"))
        #expect(try cases("sz-agent").contains(number))

        try o.ok("sl-agent", move)
        #expect(try !cases("sz-agent").contains(number), "the old county's replica must drop the case")
        #expect(try cases("ln-agent").contains(number))
        #expect(try cases("sl-agent").contains(number), "the city above both keeps it")
        #expect(try cases("office2602").contains(number))
        try o.ok("ln-agent", ["case", "acquire", number])
        let refused = try o.cli("sz-agent", ["case", "acquire", number])
        #expect(refused.status != 0)

        // The member still has the claim; the tree and the audit trail show the move.
        try o.ok("zhangwei", ["sync"])
        #expect(try o.ok("zhangwei", ["claim", "show", id])["caseNumber"] as? String == number)
        let tree = try o.ok("office2602", ["admin", "org", "list"])["orgs"] as? [[String: Any]] ?? []
        #expect(tree.first { $0["id"] as? String == "unit-001" }?["parentId"] as? String == "sl-ln")
        let county = try o.ok("ln-agent", ["admin", "org", "list"])["orgs"] as? [[String: Any]] ?? []
        #expect(Set(county.compactMap { $0["id"] as? String }) == ["sl-ln", "unit-001", "unit-002"])
        let trail = try o.ok("office2602", ["admin", "audit"])["entries"] as? [[String: Any]] ?? []
        #expect(trail.first?["action"] as? String == "org-move", "\(trail.first ?? [:])")
    }
}

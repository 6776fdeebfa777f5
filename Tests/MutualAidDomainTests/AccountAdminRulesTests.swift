import MutualAidDomain
import Testing

/// Who may administer which accounts: own subtree, roles by level, never oneself.
@Suite struct AccountAdminRulesTests {
    let county = AccountAdminRules.Actor(role: .agent, accountId: "a-1", orgPath: "/2602/sl/sz/")
    let office = AccountAdminRules.Actor(role: .office, accountId: "o-1", orgPath: "/2602/")

    @Test func rolesAreGrantedOnTheirLevelWithinTheSubtree() {
        #expect(AccountAdminRules.mayGrant(county, role: .unit, orgLevel: .unit, orgPath: "/2602/sl/sz/u1/") == nil)
        #expect(AccountAdminRules.mayGrant(county, role: .agent, orgLevel: .county, orgPath: "/2602/sl/sz/") == nil)
        #expect(
            AccountAdminRules.mayGrant(county, role: .office, orgLevel: .office, orgPath: "/2602/sl/sz/")?.field
                == "role")
        #expect(
            AccountAdminRules.mayGrant(county, role: .unit, orgLevel: .county, orgPath: "/2602/sl/sz/")?.field == "org")
        #expect(
            AccountAdminRules.mayGrant(county, role: .unit, orgLevel: .unit, orgPath: "/2602/sl/ln/u2/")?.field == "org"
        )
        #expect(AccountAdminRules.mayGrant(office, role: .finance, orgLevel: .office, orgPath: "/2602/") == nil)
        #expect(AccountAdminRules.mayGrant(office, role: .member, orgLevel: .unit, orgPath: "/2602/sl/sz/u1/") != nil)
        let clerk = AccountAdminRules.Actor(role: .unit, accountId: "u-1", orgPath: "/2602/sl/sz/u1/")
        #expect(
            AccountAdminRules.mayGrant(clerk, role: .unit, orgLevel: .unit, orgPath: "/2602/sl/sz/u1/")?.field
                == "actor")
    }

    @Test func accountsAreManagedInTheSubtreeButNeverOnesOwn() {
        #expect(
            AccountAdminRules.mayManage(county, targetId: "m-1", targetRole: .member, targetOrgPath: "/2602/sl/sz/u1/")
                == nil)
        #expect(
            AccountAdminRules.mayManage(county, targetId: "a-1", targetRole: .agent, targetOrgPath: "/2602/sl/sz/")?
                .field == "login")
        #expect(
            AccountAdminRules.mayManage(county, targetId: "x", targetRole: .agent, targetOrgPath: "/2602/sl/")
                == AccountAdminRules.notFound)
        #expect(
            AccountAdminRules.mayManage(office, targetId: "f-1", targetRole: .finance, targetOrgPath: "/2602/") == nil)
    }

    @Test func staffLoginsAreShortPlainNamesAndNeverAnIdNumber() {
        #expect(AccountAdminRules.loginViolation("unit001-b") == nil)
        #expect(AccountAdminRules.loginViolation("ab") != nil)
        #expect(AccountAdminRules.loginViolation("-abc") != nil)
        #expect(AccountAdminRules.loginViolation("张伟") != nil)
        #expect(AccountAdminRules.loginViolation("611002199202140027") != nil)
        #expect(AccountAdminRules.nameViolation("  ") != nil && AccountAdminRules.nameViolation("钱芳") == nil)
    }

    @Test func movesKeepTheTreesLevelsInsideTheActorsSubtree() {
        let city = AccountAdminRules.Actor(role: .agent, accountId: "c-1", orgPath: "/2602/sl/")
        let unit = (level: OrgLevel.unit, path: "/2602/sl/sz/u1/")
        func parent(_ level: OrgLevel, _ path: String, closed: Bool = false) -> (
            level: OrgLevel, path: String, closed: Bool
        ) {
            (level, path, closed)
        }
        #expect(AccountAdminRules.mayMoveOrg(city, node: unit, parent: parent(.county, "/2602/sl/ln/")) == nil)
        #expect(AccountAdminRules.mayMoveOrg(city, node: unit, parent: parent(.city, "/2602/sl/")) == nil)
        #expect(AccountAdminRules.mayMoveOrg(county, node: unit, parent: parent(.county, "/2602/sl/ln/")) != nil)
        #expect(AccountAdminRules.mayMoveOrg(city, node: unit, parent: parent(.unit, "/2602/sl/ln/u2/")) != nil)
        #expect(
            AccountAdminRules.mayMoveOrg(city, node: unit, parent: parent(.county, "/2602/sl/ln/", closed: true)) != nil
        )
        #expect(AccountAdminRules.mayMoveOrg(city, node: unit, parent: parent(.county, "/2602/hz/x/")) != nil)
        let countyNode = (level: OrgLevel.county, path: "/2602/sl/sz/")
        #expect(AccountAdminRules.mayMoveOrg(office, node: countyNode, parent: parent(.city, "/2602/hz/")) == nil)
        #expect(AccountAdminRules.mayMoveOrg(office, node: countyNode, parent: parent(.county, "/2602/sl/ln/")) != nil)
        #expect(
            AccountAdminRules.mayMoveOrg(city, node: (.county, "/2602/sl/"), parent: parent(.city, "/2602/sl/")) != nil)
    }
}

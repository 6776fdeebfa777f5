import Foundation
import TestSupport
import Testing

/// 权限管理 through the real binaries over TLS: an agency adds, changes, disables and enables
/// accounts of its own subtree only, a disabled account can no longer sync or log in, and every
/// change is in the audit trail.
@Suite(.serialized) struct AccountAdminTests {
    @Test func anAgencyAdministersItsSubtreeAndADisabledAccountCanNoLongerSync() throws {
        let cast = try EnrolmentJourneyTests.Cast(["sz-agent", "office2602", "unit001", "zhangwei"])
        defer { cast.server.stop() }

        // Only agencies and the office administer; the tree shows the organisation ids to use.
        #expect(try cast.refused("zhangwei", ["admin", "user", "list"]).contains("只有代办机构和办事处"))
        let orgs = try cast.ok("sz-agent", ["admin", "org", "list"])["orgs"] as? [[String: Any]] ?? []
        #expect(Set(orgs.compactMap { $0["id"] as? String }) == ["sl-sz", "unit-001"])

        // A new clerk for a unit of the county: a one-time password by SMS, changed at first login.
        let added = try cast.ok(
            "sz-agent",
            [
                "admin", "user", "add", "--login", "unit001-b", "--role", "unit", "--org", "unit-001", "--name", "钱芳",
                "--mobile", "13800000071",
            ])
        #expect(added["role"] as? String == "unit" && added["mobile"] as? String == "138****0071")
        let sms = try run(Binaries.syncServer, ["sms", "list"] + (try cast.server.storeArguments) + ["--json"])
        let text = try #require(
            (try sms.json()["messages"] as? [[String: Any]] ?? []).first { $0["mobile"] as? String == "13800000071" }?[
                "text"] as? String)
        let range = try #require(text.range(of: #"初始密码 [A-Za-z0-9]{12}"#, options: .regularExpression))
        let initial = String(text[range].suffix(12))
        let newClerk = Device("unit001-b")
        #expect(try newClerk.cli(["connect", cast.server.url, "--ca-file", cast.server.certificate]).status == 0)
        let login = try newClerk.cli(["login", "unit001-b", "--password-stdin", "--json"], stdin: initial + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        #expect(try login.json()["mustChangePassword"] as? Bool == true)

        // What the county may not do: an office role, a role on the wrong level, another county,
        // a login in use, its own account, an account above it.
        let add = ["admin", "user", "add", "--name", "测试", "--mobile", "13800000072"]
        #expect(
            try cast.refused("sz-agent", add + ["--login", "x-office", "--role", "office", "--org", "sl-sz"])
                .contains("不能设立办事处审核人账号"))
        #expect(
            try cast.refused("sz-agent", add + ["--login", "x-unit", "--role", "unit", "--org", "sl-sz"])
                .contains("应设在参保单位"))
        #expect(
            try cast.refused("sz-agent", add + ["--login", "x-ln", "--role", "unit", "--org", "unit-002"])
                .contains("不在本机构及下级机构中"))
        #expect(
            try cast.refused("sz-agent", add + ["--login", "unit001-b", "--role", "unit", "--org", "unit-001"])
                .contains("已被占用"))
        #expect(try cast.refused("sz-agent", ["admin", "user", "disable", "sz-agent"]).contains("不能在这里管理自己的账号"))
        #expect(try cast.refused("sz-agent", ["admin", "user", "disable", "sl-agent"]).contains("没有该账号"))

        // The county lists its own subtree's staff only.
        let sheet = Scratch.directory("accounts").appendingPathComponent("账号.xlsx").path
        let listed =
            try cast.ok("sz-agent", ["admin", "user", "list", "--xlsx", sheet])["accounts"] as? [[String: Any]] ?? []
        #expect(Set(listed.compactMap { $0["login"] as? String }) == ["sz-agent", "unit001", "unit001-b"])
        try EnrolmentJourneyTests.python(
            """
            import openpyxl, sys
            rows = list(openpyxl.load_workbook(sys.argv[1]).active.values)
            assert rows[0][0] == "登录账号" and len(rows) == 4, rows
            assert sorted(r[0] for r in rows[1:]) == ["sz-agent", "unit001", "unit001-b"], rows
            """, [sheet])

        // Disabled: the clerk's device cannot sync, the password no longer logs in; enabled again, it does.
        let disabled = try cast.ok("sz-agent", ["admin", "user", "disable", "unit001"])
        #expect(disabled["disabled"] as? Bool == true)
        #expect(try cast.refused("unit001", ["sync"]).contains("登录"))
        #expect(
            try cast.refused(
                "unit001", ["login", "unit001", "--password-stdin"], stdin: cast.passwords["unit001"]! + "\n"
            )
            .contains("该账号已停用"))
        #expect(try cast.ok("sz-agent", ["admin", "user", "enable", "unit001"])["disabled"] as? Bool == false)
        try cast.ok("unit001", ["login", "unit001", "--password-stdin"], stdin: cast.passwords["unit001"]! + "\n")
        try cast.ok("unit001", ["sync"])

        // The office moves the new clerk's name; the trail says who did what, the county sees its own.
        try cast.ok("office2602", ["admin", "user", "change", "unit001-b", "--name", "钱芳芳"])
        let trail = try cast.ok("office2602", ["admin", "audit"])["entries"] as? [[String: Any]] ?? []
        let actions = trail.map {
            "\($0["actor"] as? String ?? "") \($0["action"] as? String ?? "") \($0["target"] as? String ?? "")"
        }
        #expect(
            actions == [
                "office2602 name unit001-b", "sz-agent enable unit001", "sz-agent disable unit001",
                "sz-agent add unit001-b",
            ])
        #expect(trail.first?["detail"] as? String == "钱芳 → 钱芳芳")
        #expect(trail.allSatisfy { ($0["at"] as? String)?.hasSuffix("Z") == true })
        let countyTrail =
            try cast.ok("sz-agent", ["admin", "audit", "--login", "unit001"])["entries"] as? [[String: Any]]
        #expect(countyTrail?.count == 2)
        let nothingChanged = try cast.refused("office2602", ["admin", "user", "change", "unit001-b"])
        #expect(nothingChanged.contains("请至少给出"))

        // The tree: a county added under the city, a unit renamed, the county closed once empty.
        let county = try cast.ok("office2602", ["admin", "org", "add", "--parent", "sl", "--name", "丹凤县总工会"])
        let countyId = try #require(county["id"] as? String)
        #expect(county["level"] as? String == "county" && county["closed"] as? Bool == false)
        #expect(
            try cast.refused("sz-agent", ["admin", "org", "add", "--parent", "sl-sz", "--name", "某某"])
                .contains("只能在办事处下设市级"))
        #expect(try cast.refused("sz-agent", ["admin", "org", "rename", "sl-sz", "--name", "某某"]).contains("下级机构"))
        try cast.ok("sz-agent", ["admin", "org", "rename", "unit-001", "--name", "商洛市商州区城建集团"])
        try cast.ok(
            "office2602",
            [
                "admin", "user", "add", "--login", "df-agent", "--role", "agent", "--org", countyId, "--name", "何平",
                "--mobile", "13800000073",
            ])
        #expect(try cast.refused("office2602", ["admin", "org", "close", countyId]).contains("启用的账号"))
        try cast.ok("office2602", ["admin", "user", "disable", "df-agent"])
        let closed = try cast.ok("office2602", ["admin", "org", "close", countyId, "--note", "机构调整"])
        #expect(closed["closed"] as? Bool == true)
        let tree = try cast.ok("office2602", ["admin", "org", "list"])["orgs"] as? [[String: Any]] ?? []
        #expect(tree.first { $0["id"] as? String == "unit-001" }?["name"] as? String == "商洛市商州区城建集团")
        let orgTrail = try cast.ok("office2602", ["admin", "audit"])["entries"] as? [[String: Any]] ?? []
        #expect(
            Array(orgTrail.prefix(5).map { $0["action"] as? String ?? "" }) == [
                "org-close", "disable", "add", "org-rename", "org-add",
            ])
    }
}

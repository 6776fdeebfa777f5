import Foundation
import TestSupport
import Testing

/// 活动管理 and 申领材料: the office adds an activity with a standard and changes a checklist;
/// every device sees it after sync, and a member's submission follows the new checklist. Other
/// roles and malformed input are refused with nothing changed.
@Suite(.serialized) struct CatalogueAdminTests {
    @Test func theOfficeMaintainsActivitiesStandardsAndChecklists() throws {
        let o = try CaseWorkflowTests.Office()
        defer { o.server.stop() }
        let add = [
            "admin", "activity", "add", "act-2027-staff", "--name", "2027年职工住院互助保障", "--subtype", "在职职工", "--fee",
            "30.00", "--min-rate", "60",
        ]
        #expect(try o.cli("sz-agent", add).stderr.contains("由办事处维护"))
        let badFee = try o.cli("office2602", add.dropLast(4) + ["--fee", "30.001", "--min-rate", "60"])
        #expect(badFee.status != 0 && badFee.stderr.contains("金额"), "\(badFee.stderr)")
        let badId = try o.cli("office2602", ["admin", "activity", "add", "Act 2027"] + add.dropFirst(4))
        #expect(badId.status != 0 && badId.stderr.contains("编号只能用小写字母"), "\(badId.stderr)")
        #expect(try o.ok("office2602", add)["id"] as? String == "act-2027-staff")
        #expect(try o.cli("office2602", add).stderr.contains("已有该编号的保障活动"))

        let standard = [
            "admin", "standard", "add", "act-2027-staff", "--id", "std-2027-med", "--claim-type", "hospitalization",
            "--name", "住院医疗", "--method", "medical-ratio",
        ]
        let noRatio = try o.cli("office2602", standard)
        #expect(noRatio.status != 0 && noRatio.stderr.contains("需要给付比例"), "\(noRatio.stderr)")
        let noActivity = try o.cli(
            "office2602", ["admin", "standard", "add", "act-none"] + standard.dropFirst(4) + ["--ratio", "70"])
        #expect(noActivity.status != 0 && noActivity.stderr.contains("没有该保障活动"), "\(noActivity.stderr)")
        try o.ok("office2602", standard + ["--ratio", "70", "--cap", "20000"])
        try o.ok("office2602", ["admin", "activity", "edit", "act-2027-staff", "--name", "2027年职工住院互助保障（试行）"])
        #expect(
            try o.cli("office2602", ["admin", "activity", "edit", "act-2027-staff", "--min-rate", "101"]).stderr
                .contains("0 到 100"))

        // Every device has it after sync: the unit's catalogue lists the activity and its standard.
        try o.ok("unit001", ["sync"])
        let catalogue = try o.ok("unit001", ["catalogue"])["activities"] as! [[String: Any]]
        let added = try #require(catalogue.first { $0["id"] as? String == "act-2027-staff" })
        #expect(added["name"] as? String == "2027年职工住院互助保障（试行）")
        #expect(added["fee"] as? String == "30.00" && added["minEnrolmentRatePct"] as? Int == 60)
        let standards = added["standards"] as! [[String: Any]]
        #expect(
            standards.count == 1 && standards[0]["ratioBp"] as? Int == 7000
                && standards[0]["cap"] as? String == "20000.00")
        let human = try o.cli("unit001", ["catalogue"])
        #expect(
            human.stdout.contains("给付标准 std-2027-med  疾病住院 · 住院医疗  按比例给付：比例 70.00%，封顶 20000.00 元"), "\(human.stdout)")

        // A new required material: the member's draft cannot be submitted without it.
        let set = [
            "admin", "checklist", "set", "hospitalization", "inpatient-invoice", "--name", "住院发票", "--required",
            "--max", "5",
        ]
        #expect(try o.cli("sz-agent", set).stderr.contains("由办事处维护"))
        #expect(try o.cli("office2602", set.dropLast(2) + ["--max", "0"]).stderr.contains("1 到 20"))
        try o.ok("office2602", set)
        try o.ok("zhangwei", ["sync"])
        let lines =
            try o.ok("zhangwei", ["admin", "checklist", "list", "hospitalization"])["items"] as! [[String: Any]]
        #expect(lines.contains { $0["item"] as? String == "inpatient-invoice" && $0["required"] as? Bool == true })
        let files = try ClaimJourneyTests.makeFiles(in: Scratch.directory("photos"))
        let id = try o.memberDraft()
        try o.ok("zhangwei", ["claim", "payee", id, "--bank-account", "6222020200112233445", "--bank-name", "中国工商银行"])
        for (item, path) in [("id-card", files.png), ("bank-card", files.jpeg), ("discharge-summary", files.pdf)] {
            try o.ok("zhangwei", ["claim", "attach", id, "--item", item, path])
        }
        let blocked = try o.cli("zhangwei", ["claim", "submit", id])
        #expect(blocked.status != 0 && blocked.stderr.contains("缺少：住院发票"), "\(blocked.stderr)")
        try o.ok("zhangwei", ["claim", "attach", id, "--item", "inpatient-invoice", files.pdf])
        try o.ok("zhangwei", ["claim", "submit", id])
        try o.ok("zhangwei", ["sync"])
        #expect(try o.ok("zhangwei", ["claim", "show", id])["caseNumber"] is String)

        // A line with materials behind it can only be made optional; an unused one can go.
        let used = try o.cli("office2602", ["admin", "checklist", "remove", "hospitalization", "inpatient-invoice"])
        #expect(used.status != 0 && used.stderr.contains("改为非必需"), "\(used.stderr)")
        try o.ok(
            "office2602",
            [
                "admin", "checklist", "set", "hospitalization", "inpatient-invoice", "--name", "住院发票", "--optional",
                "--max", "5",
            ])
        try o.ok("office2602", ["admin", "checklist", "set", "hospitalization", "referral", "--name", "转诊证明"])
        try o.ok("office2602", ["admin", "checklist", "remove", "hospitalization", "referral"])
        try o.ok("zhangwei", ["sync"])
        let after =
            try o.ok("zhangwei", ["admin", "checklist", "list", "hospitalization"])["items"] as! [[String: Any]]
        #expect(!after.contains { $0["item"] as? String == "referral" })
        #expect(after.contains { $0["item"] as? String == "inpatient-invoice" && $0["required"] as? Bool == false })

        // A dated version may change the waiting and observation periods too, never into a half rule.
        let later = CaseWorkflowTests.day(30)
        let critical = ["admin", "standard", "edit", "std-critical", "--effective-from", later]
        let lonely = try o.cli("office2602", critical + ["--observation-days", "0"])
        #expect(lonely.status != 0 && lonely.stderr.contains("只有设了观察期"), "\(lonely.stderr)")
        #expect(try o.cli("office2602", critical + ["--waiting-days", "4000"]).stderr.contains("0 到 3650 天"))
        let longer = try o.ok("office2602", critical + ["--observation-days", "90", "--consolation", "1200"])
        #expect(longer["effectiveFrom"] as? String == later)

        // 伤残等级表: the office sets a row; every device reads it after sync.
        let grade = ["admin", "grade", "set", "10", "--name", "十级伤残", "--ratio", "12"]
        #expect(try o.cli("sz-agent", grade).stderr.contains("由办事处维护"))
        #expect(
            try o.cli("office2602", ["admin", "grade", "set", "11", "--name", "十一级", "--ratio", "5"]).stderr.contains(
                "1 到 10 级"))
        #expect(try o.cli("office2602", grade.dropLast() + ["120"]).stderr.contains("百分数"))
        try o.ok("office2602", grade)
        try o.ok("sz-agent", ["sync"])
        let grades = try o.ok("sz-agent", ["admin", "grade", "list"])["grades"] as! [[String: Any]]
        #expect(grades.count == 10)
        #expect(grades.contains { $0["grade"] as? Int == 10 && $0["ratioBasisPoints"] as? Int == 1200 })
    }
}

import Foundation
import TestSupport

/// The member's claim most end-to-end tests start from: 张伟's hospitalisation under
/// std-staff-med, with the checklist's three materials, and the county agent's settlement
/// sheet that the manual's worked example turns into 79.00 yuan.
extension CaseWorkflowTests.Office {
    /// A draft, days counted from today (Beijing).
    func memberDraft(admitted: Int = -20, discharged: Int = -11) throws -> String {
        try ok(
            "zhangwei",
            [
                "claim", "new", "--type", "hospitalization", "--standard", "std-staff-med", "--admitted",
                CaseWorkflowTests.day(admitted), "--discharged", CaseWorkflowTests.day(discharged), "--hospital",
                "商洛市中心医院", "--diagnosis", "肺炎",
            ])["id"] as! String
    }

    /// The payee and the three materials, submitted and synced: answers the case number.
    func submitMemberClaim(_ id: String) throws -> String {
        let files = try ClaimJourneyTests.makeFiles(in: Scratch.directory("photos"))
        try ok("zhangwei", ["claim", "payee", id, "--bank-account", "6222020200112233445", "--bank-name", "中国工商银行"])
        for (item, file) in [("id-card", files.png), ("bank-card", files.jpeg), ("discharge-summary", files.pdf)] {
            try ok("zhangwei", ["claim", "attach", id, "--item", item, file])
        }
        try ok("zhangwei", ["claim", "submit", id])
        try ok("zhangwei", ["sync"])
        return try ok("zhangwei", ["claim", "show", id])["caseNumber"] as! String
    }

    func fileMemberClaim(admitted: Int = -20, discharged: Int = -11) throws -> (id: String, number: String) {
        let id = try memberDraft(admitted: admitted, discharged: discharged)
        return (id, try submitMemberClaim(id))
    }

    /// The county agent acquires the case and enters the worked example's settlement sheet.
    func settle(_ number: String, admitted: Int = -20, discharged: Int = -11) throws {
        try ok("sz-agent", ["sync"])
        try ok("sz-agent", ["case", "acquire", number])
        try ok(
            "sz-agent",
            [
                "case", "settlement", number, "--hospital", "商洛市中心医院", "--level", "三级", "--admitted",
                CaseWorkflowTests.day(admitted), "--discharged", CaseWorkflowTests.day(discharged), "--in-scope",
                "1728.59", "--pooled", "1015.73", "--deductible", "600.00", "--large", "0.00",
            ])
    }
}

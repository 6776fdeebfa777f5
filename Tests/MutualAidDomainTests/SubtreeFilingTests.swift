import MutualAidDomain
import TestSupport
import Testing

/// The stores find a staff account's records by the subtree paths each record is filed under;
/// that must be exactly the records `Scope.contains` lets the account see.
@Suite struct SubtreeFilingTests {
    @Test func aRecordIsFiledUnderEverySubtreeThatContainsItAndNoOther() {
        #expect(
            Scope.subtreePaths(filing: "/2602/sl/sz/u1/") == [
                "/", "/2602/", "/2602/sl/", "/2602/sl/sz/", "/2602/sl/sz/u1/",
            ])
        #expect(Scope.subtreePaths(filing: "/2602/sl") == ["/", "/2602/", "/2602/sl"])
        #expect(Scope.subtreePaths(filing: "商洛") == ["商洛"])
        #expect(Scope.subtreePaths(filing: "") == [""])
        var random = SplitMix64(environment: "FILING_SEED", default: 15)
        let parts = ["2602", "sl", "s", "sz", "商洛", "u1", "u1x", ""]
        func path() -> String {
            var text = Bool.random(using: &random) ? "/" : ""
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                text += parts.randomElement(using: &random)! + (Int.random(in: 0..<5, using: &random) > 0 ? "/" : "")
            }
            return text
        }
        var seen = 0
        for _ in 0..<3_000 {
            let record = path()
            let staff = path()
            let scope = Scope.subtree(path: staff)
            guard let filed = scope.filedSubtreePath else {
                #expect(!staff.hasSuffix("/"))
                continue
            }
            let contains = record.utf8.starts(with: filed.utf8)
            #expect(Scope.subtreePaths(filing: record).contains(filed) == contains, "\(record) under \(filed)")
            #expect(scope.contains(orgPath: record) == contains, "\(record) under \(filed)")
            if contains { seen += 1 }
        }
        #expect(seen > 100)
        #expect(Scope.member(memberId: "m-1").filedSubtreePath == nil)
    }
}

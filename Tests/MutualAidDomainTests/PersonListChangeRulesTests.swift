import Testing

@testable import MutualAidDomain

@Suite struct PersonListChangeRulesTests {
    static let day = EnrolmentRulesTests.day
    static func id(_ first17: String) -> String { EnrolmentRulesTests.id(first17) }
    static let wang = PersonListRules.Person(
        row: 2, name: "王墙", idNumber: id("61100219850303011"), mobile: "13900000009")

    static func correct(
        _ c: PersonListEdit.Correction, listed: Set<String> = [], cover: PersonListRules.Cover? = nil
    ) throws(RuleViolation) -> PersonListRules.Person {
        try PersonListEdit.apply(
            c, to: wang, listed: listed, coveredUntil: { _ in cover }, expectedStart: day.adding(days: 1))
    }

    @Test func aCorrectionKeepsTheRowAndTrimsWhatWasTyped() throws {
        let fixed = try Self.correct(.init(name: " 王强\u{3000}", mobile: "13900000001"))
        #expect(fixed == .init(row: 2, name: "王强", idNumber: Self.wang.idNumber, mobile: "13900000001"))
        let lower = Self.id("61100219900101002").lowercased()
        #expect(try Self.correct(.init(idNumber: lower)).idNumber == lower.uppercased())
    }

    @Test func aCorrectionPassesTheImportRules() {
        var wrongCheck = Self.id("61100219890707055")
        wrongCheck = String(wrongCheck.dropLast()) + (wrongCheck.last == "1" ? "2" : "1")
        let sun = Self.id("61100219860404022")
        let cases: [(PersonListEdit.Correction, Set<String>, String)] = [
            (.init(), [], "请用 --name、--new-id-number 或 --mobile 指定要修改的内容"),
            (.init(name: ""), [], "姓名不能为空"),
            (.init(idNumber: wrongCheck), [], "身份证号码校验位不正确，请核对后重新输入"),
            (.init(mobile: "1390000000"), [], "手机号码应为以1开头的11位数字"),
            (.init(idNumber: sun), [sun], "该人员已在本次参保名单中"),
        ]
        for (correction, listed, message) in cases {
            #expect(throws: RuleViolation(field: "person", message: message)) {
                try Self.correct(correction, listed: listed)
            }
        }
    }

    @Test func runningCoverOnlyMattersWhenTheIdNumberChanges() throws {
        let cover = PersonListRules.Cover(until: Self.day.adding(days: 200))
        #expect(try Self.correct(.init(name: "王强"), cover: cover).name == "王强")
        #expect(throws: RuleViolation.self) {
            try Self.correct(.init(idNumber: Self.id("61100219900101002")), cover: cover)
        }
    }
}

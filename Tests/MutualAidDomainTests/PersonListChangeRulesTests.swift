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

    // MARK: 增减员

    @Test func additionsPayTheFullFeeAndRemovalsRefundNothing() {
        let lines = [
            EnrolmentLine(activityId: "act-accident", shares: 2), EnrolmentLine(activityId: "act-critical", shares: 1),
        ]
        let fees = EnrolmentChange.fees(
            lines: lines, added: ["act-accident": 3], catalogue: EnrolmentRulesTests.catalogue)
        #expect(fees.map(\.total.description) == ["120.00", "0.00"])
        #expect(fees.map(\.insured) == [3, 0])
        #expect(Invoicing.isComplete(fees) == false)
    }

    @Test func aChangeMustChangeSomeoneAndNotBothWays() {
        #expect(throws: RuleViolation.self) { try EnrolmentChange.validate(added: [], removed: []) }
        #expect(throws: RuleViolation.self) { try EnrolmentChange.validate(added: ["a/1"], removed: ["a/1"]) }
        #expect(throws: Never.self) { try EnrolmentChange.validate(added: ["a/1"], removed: ["a/2"]) }
        #expect(EnrolmentChange.isChangeable(.confirmed) && EnrolmentChange.isChangeable(.archived))
        #expect(!EnrolmentChange.isChangeable(.paymentCheck) && !EnrolmentChange.isChangeable(.cancelled))
    }

    @Test func addedCoverRunsToTheOriginalEndAndRemovedCoverEndsOnConfirmation() {
        let original = ProtectionPeriod.oneYear(from: Self.day)
        #expect(
            EnrolmentChange.addedCover(original: original, confirmed: Self.day.adding(days: 30))
                == ProtectionPeriod(start: Self.day.adding(days: 31), end: original.end))
        // Confirmed before the original starts: the added person starts with everyone else.
        #expect(EnrolmentChange.addedCover(original: original, confirmed: Self.day.adding(days: -5))?.start == Self.day)
        #expect(EnrolmentChange.addedCover(original: original, confirmed: original.end) == nil)
        #expect(
            EnrolmentChange.removedUntil(original, confirmed: Self.day.adding(days: 30)) == Self.day.adding(days: 30))
        #expect(
            EnrolmentChange.removedUntil(original, confirmed: Self.day.adding(days: -5)) == Self.day.adding(days: -1))
        #expect(EnrolmentChange.removedUntil(original, confirmed: original.end.adding(days: 9)) == original.end)
    }

    @Test func theLetterCountsTheDifferencesPaid() {
        let period = ProtectionPeriod.oneYear(from: Self.day)
        let letter = ConfirmationLetter(
            number: "G26022026112900000001", unitName: "测试单位", handler: "赵敏", address: "北新街1号",
            phone: "0914-2312345", issued: Self.day,
            lines: [
                .init(activityName: "职工意外(含新就业)", period: period, shares: 1, feePerShare: Money("20")!, insured: 2)
            ],
            changes: [
                .init(
                    confirmed: Self.day.adding(days: 3), activityName: "职工意外(含新就业)", added: ["周舟（611002********0441）"],
                    removed: [], fee: Money("20")!, insuredAfter: 3)
            ])
        #expect(letter.total.description == "60.00")
        #expect(letter.changeRows == [["2026-12-02", "职工意外(含新就业)", "周舟（611002********0441）", "", "20.00", "3"]])
    }
}

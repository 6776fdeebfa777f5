import Testing

@testable import MutualAidDomain

@Suite struct EnrolmentRulesTests {
    static let day = CalendarDate(year: 2026, month: 11, day: 29)!
    static func id(_ first17: String) -> String { first17 + String(ResidentID.checkCharacter(for: first17)!) }
    static let catalogue: [String: ProtectionActivity] = [
        "act-accident": ProtectionActivity(
            id: "act-accident", name: "职工意外(含新就业)", subtype: "意外伤害", fee: Money("20")!,
            minEnrolmentRatePercent: 0, standards: []),
        "act-critical": ProtectionActivity(
            id: "act-critical", name: "重大疾病(35重+25轻)", subtype: "重大疾病", fee: Money("35")!,
            minEnrolmentRatePercent: 50, standards: []),
    ]

    @Test func listRejectsExactlyTheBadRowsWithTheirReasons() throws {
        let good1 = Self.id("61100219850312001")
        let good2 = Self.id("61100219900718002")
        var wrongCheck = Self.id("61102119781105004")
        wrongCheck = String(wrongCheck.dropLast()) + (wrongCheck.last == "1" ? "2" : "1")
        let table = [
            ["序号", "姓名", "身份证号码", "手机号码"],
            ["1", "张伟", good1, "13809161001"],
            ["2", "李娜", good2, "13809161002"],
            ["3", "王芳", wrongCheck, "13809161003"],
            ["4", "张伟", good1, "13809161004"],
            ["", "", "", ""],
            ["5", "赵六", Self.id("61102119800101003"), "2380916100"],
            ["6", "钱七", "6.11002198503120E+17", "13809161006"],
        ]
        let outcome = try PersonListRules.check(
            table, listed: [], coveredUntil: { _ in nil }, expectedStart: Self.day.adding(days: 1))
        #expect(outcome.total == 6)
        #expect(outcome.accepted.map(\.row) == [2, 3])
        #expect(
            outcome.failed == [
                .init(row: 4, reason: "身份证号码校验位不正确，请核对后重新输入"),
                .init(row: 5, reason: "身份证号码与第2行重复"),
                .init(row: 7, reason: "手机号码应为以1开头的11位数字"),
                .init(row: 8, reason: "身份证号码被表格软件存成了数字，请把该列设为文本格式后重新填写"),
            ])
        #expect(outcome.failedRows.count == 4 && outcome.failedRows[0][1] == "王芳")
    }

    @Test func listChecksAgainstTheListAndRunningCover() throws {
        let a = Self.id("61100219850312001")
        let b = Self.id("61100219900718002")
        let table = [["姓名", "身份证号码", "手机号码"], ["张伟", a, "13809161001"], ["李娜", b, "13809161002"]]
        let outcome = try PersonListRules.check(
            table, listed: [a],
            coveredUntil: { $0 == b ? PersonListRules.Cover(until: Self.day.adding(days: 30)) : nil },
            expectedStart: Self.day.adding(days: 1))
        #expect(outcome.accepted.isEmpty)
        #expect(
            outcome.failed.map(\.reason) == [
                "该人员已在本次参保名单中",
                "该人员已参加此保障活动，保障期至\(Self.day.adding(days: 30))，与本次参保期间重叠",
            ])
        // Cover ending within the renewal window may be renewed.
        let renewing = try PersonListRules.check(
            table, listed: [], coveredUntil: { _ in PersonListRules.Cover(until: Self.day.adding(days: 15)) },
            expectedStart: Self.day.adding(days: 1))
        #expect(renewing.accepted.count == 2)
        #expect(throws: RuleViolation.self) {
            try PersonListRules.check([["a", "b"]], listed: [], coveredUntil: { _ in nil }, expectedStart: Self.day)
        }
    }

    @Test func renewalWithinFifteenDaysOfExpiry() {
        let end = CalendarDate(year: 2025, month: 11, day: 9)!
        #expect(ProtectionPeriod.isRenewal(previousEnd: end, newStart: end.adding(days: 1)))
        #expect(ProtectionPeriod.isRenewal(previousEnd: end, newStart: end.adding(days: 16)))
        #expect(!ProtectionPeriod.isRenewal(previousEnd: end, newStart: end.adding(days: 17)))
        #expect(ProtectionPeriod.isRenewal(previousEnd: end, newStart: end.adding(days: -14)))  // renewed early
        #expect(!ProtectionPeriod.isRenewal(previousEnd: end, newStart: end.adding(days: -15)))
    }

    @Test func summaryAndAutoChecks() {
        let lines = [
            EnrolmentLine(activityId: "act-accident", shares: 2), EnrolmentLine(activityId: "act-critical", shares: 1),
        ]
        let s = EnrolmentSummaries.summarise(
            lines: lines, insured: ["act-accident": 30, "act-critical": 20], employees: 50, highRisk: 3,
            catalogue: Self.catalogue)
        #expect(s.map(\.feeTotal) == [Money("1200")!, Money("700")!])
        #expect(s.map(\.rateText) == ["60.00%", "40.00%"])
        let checks = EnrolmentSummaries.autoChecks(s, employees: 50, catalogue: Self.catalogue)
        #expect(checks.map(\.passed) == [true, false])
        #expect(checks[1].reason.hasPrefix("该保障活动下人员参保比例不符合最低参保标准"))
        #expect(throws: RuleViolation.self) {
            try EnrolmentSummaries.validateEntry(
                lines: lines, employees: 10, women: 11, highRisk: 0, catalogue: Self.catalogue)
        }
        #expect(throws: RuleViolation.self) {
            try EnrolmentSummaries.validateEntry(
                lines: [EnrolmentLine(activityId: "nope", shares: 1)], employees: 10, women: 1,
                highRisk: 0, catalogue: Self.catalogue)
        }
    }

    @Test func splitMustEqualPayableAndInvoicesStopAtTheRemainder() throws {
        var fees = ActivityFees(
            activityId: "act-accident", activityName: "职工意外", feePerShare: Money("20")!, shares: 1, insured: 10)
        #expect(fees.total == Money("200")!)
        #expect(throws: RuleViolation.self) {
            try Invoicing.setSplit(
                &fees, subsidy: Money("20")!, gift: .zero,
                split: FeeSplit(unionFunds: Money("100")!, adminFunds: Money("50")!, selfPaid: Money("20")!))
        }
        #expect(fees.split == nil)
        let invoice = Invoice(
            batch: "B1", feeSource: .unionFunds, title: "测试单位工会", taxNumber: "91350100M000100Y43", amount: Money("100")!
        )
        #expect(throws: RuleViolation.self) { try Invoicing.add(invoice, to: &fees) }  // no split yet
        try Invoicing.setSplit(
            &fees, subsidy: Money("20")!, gift: .zero,
            split: FeeSplit(unionFunds: Money("100")!, adminFunds: Money("50")!, selfPaid: Money("30")!))
        #expect(fees.payable == Money("180")!)
        try Invoicing.add(invoice, to: &fees)
        var tooMuch = invoice
        tooMuch.feeSource = .adminFunds
        tooMuch.amount = Money("80.01")!
        #expect(throws: RuleViolation.self) { try Invoicing.add(tooMuch, to: &fees) }  // beyond the remaining 80.00
        tooMuch.amount = Money("50.01")!
        #expect(throws: RuleViolation.self) { try Invoicing.add(tooMuch, to: &fees) }  // beyond the admin funds 50.00
        #expect(!Invoicing.isComplete([fees]))
        try Invoicing.add(
            Invoice(
                batch: "B1", feeSource: .adminFunds, title: "测试单位", taxNumber: "91350100M000100Y43",
                amount: Money("50")!), to: &fees)
        try Invoicing.add(
            Invoice(
                batch: "B2", feeSource: .selfPaid, title: "测试单位", taxNumber: "91350100M000100Y43", amount: Money("30")!),
            to: &fees)
        #expect(fees.remaining == .zero && Invoicing.isComplete([fees]))
        #expect(throws: RuleViolation.self) {
            try Invoicing.setSplit(
                &fees, subsidy: .zero, gift: .zero,
                split: FeeSplit(unionFunds: Money("200")!, adminFunds: .zero, selfPaid: .zero))
        }
    }

    @Test func manualLetterTotals() {
        let period = ProtectionPeriod.oneYear(from: CalendarDate(year: 2024, month: 11, day: 10)!)
        let letter = ConfirmationLetter(
            number: "G26022024110910000683", unitName: "测试单位", handler: "赵敏", address: "北新街1号",
            phone: "0914-2312345", issued: CalendarDate(year: 2024, month: 11, day: 9)!,
            lines: [
                .init(activityName: "职工意外(含新就业)", period: period, shares: 1, feePerShare: Money("20")!, insured: 1),
                .init(activityName: "重大疾病(35重+25轻)", period: period, shares: 1, feePerShare: Money("35")!, insured: 1),
                .init(
                    activityName: "住院综合(住院+重疾+意外)", period: period, shares: 1, feePerShare: Money("120")!, insured: 1),
            ])
        #expect(letter.total.description == "175.00")
        #expect(letter.rows[0][1] == "2024-11-10日0时至2025-11-09日24时")
        #expect(LetterNumber.isValid(letter.number) && !LetterNumber.isValid("G2602"))
    }

    @Test func dashboardRanksAndComparesWithTheYearBefore() {
        func income(_ agency: String, _ year: Int, _ amount: String) -> FeeDashboard.Income {
            .init(
                agencyId: agency, agencyName: agency, confirmed: CalendarDate(year: year, month: 3, day: 1)!,
                amount: Money(amount)!)
        }
        let rows = FeeDashboard.rows(
            [
                income("a", 2026, "100"), income("b", 2026, "300"), income("a", 2025, "200"),
                income("b", 2024, "999"), income("c", 2025, "50"),
            ], year: 2026)
        #expect(rows.map(\.agencyId) == ["b", "a", "c"])
        #expect(rows.map(\.changeText) == ["—", "-50.00%", "-100.00%"])
        #expect(FeeDashboard.csv(rows).contains("1,b,300.00,0.00,—,1"))
    }

    @Test func workflowFollowsTheManual() throws {
        func actor(_ role: Role, _ level: OrgLevel) -> EnrolmentActor {
            EnrolmentActor(role: role, level: level, inSubtree: true)
        }
        let unit = actor(.unit, .unit)
        let county = actor(.agent, .county)
        let city = actor(.agent, .city)
        let office = actor(.office, .office)
        let finance = actor(.finance, .office)
        var state = try EnrolmentWorkflow.apply(.submit, to: .draft, by: unit).to
        #expect(state == .firstReview)
        state = try EnrolmentWorkflow.apply(.firstReview(pass: true, note: nil), to: state, by: county).to
        #expect(throws: RuleViolation.self) {
            try EnrolmentWorkflow.apply(.secondReview(pass: true, toFinal: false, note: "好"), to: state, by: county)
        }
        #expect(throws: RuleViolation.self) {
            try EnrolmentWorkflow.apply(.secondReview(pass: true, toFinal: false, note: ""), to: state, by: city)
        }
        state = try EnrolmentWorkflow.apply(.secondReview(pass: true, toFinal: true, note: "同意"), to: state, by: city)
            .to
        #expect(state == .finalReview)
        state = try EnrolmentWorkflow.apply(.finalReview(pass: true, note: nil), to: state, by: office).to
        #expect(state == .invoicing)
        #expect(throws: RuleViolation.self) {
            try EnrolmentWorkflow.apply(.confirmPayment(note: nil), to: state, by: finance)
        }
        state = try EnrolmentWorkflow.apply(.invoicingDone, to: state, by: unit).to
        #expect(throws: RuleViolation.self) {
            try EnrolmentWorkflow.apply(.confirmPayment(note: nil), to: state, by: office)
        }
        #expect(try EnrolmentWorkflow.apply(.returnPayment(note: "未到账"), to: state, by: finance).to == .invoicing)
        state = try EnrolmentWorkflow.apply(.confirmPayment(note: nil), to: state, by: finance).to
        #expect(throws: RuleViolation.self) { try EnrolmentWorkflow.apply(.cancel(note: "不要了"), to: state, by: unit) }
        #expect(try EnrolmentWorkflow.apply(.archive(pass: true, note: nil), to: state, by: county).to == .archived)
        #expect(
            try EnrolmentWorkflow.apply(.firstReview(pass: false, note: "名单不全"), to: .firstReview, by: county).to
                == .returned)
        #expect(throws: RuleViolation.self) {
            try EnrolmentWorkflow.apply(.firstReview(pass: false, note: nil), to: .firstReview, by: county)
        }
        #expect(throws: RuleViolation.self) {
            try EnrolmentWorkflow.apply(
                .firstReview(pass: true, note: String(repeating: "字", count: 201)), to: .firstReview, by: county)
        }
        #expect(throws: RuleViolation.self) {
            try EnrolmentWorkflow.apply(
                .submit, to: .draft, by: EnrolmentActor(role: .unit, level: .unit, inSubtree: false))
        }
    }
}

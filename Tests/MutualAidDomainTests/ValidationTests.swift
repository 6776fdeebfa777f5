import MutualAidDomain
import Testing

@Suite struct ResidentIDTests {
    @Test func acceptsValidNumbersWithComputedCheckCharacter() throws {
        // GB 11643-1999 reference example.
        try ResidentID.validate("11010519491231002X")
        #expect(ResidentID.checkCharacter(for: "11010519491231002") == "X")
        #expect(ResidentID.checkCharacter(for: "61100219850312001") != nil)
    }

    @Test func rejectsWrongCheckDigitWithChineseReason() {
        #expect(throws: RuleViolation(field: "idNumber", message: "身份证号码校验位不正确，请核对后重新输入")) {
            try ResidentID.validate("110105194912310021")
        }
    }

    @Test(arguments: ["1101051949123100", "11010519491331002X", "1101051949023000 X", "abcdefghijklmnopqr"])
    func rejectsMalformed(_ id: String) {
        #expect(throws: RuleViolation.self) { try ResidentID.validate(id) }
    }

    @Test func masksAllButFirstSixAndLastFour() {
        #expect(ResidentID.masked("11010519491231002X") == "110105********002X")
    }
}

@Suite struct ContactRuleTests {
    @Test func mobile() throws {
        try ContactRules.validateMobile("13912345678")
        // Full-width and Arabic-Indic digits, and a digit with a combining mark, are not ASCII digits.
        for bad in [
            "23912345678", "1391234567", "139123456789", "1391234567a", "１３９１２３４５６７８", "1391234567٨",
            "1391234567\u{301}8", "",
        ] {
            #expect(throws: RuleViolation.self) { try ContactRules.validateMobile(bad) }
        }
    }

    @Test func bankAccountAndName() throws {
        try ContactRules.validateBankAccount("6222020200112233445")
        #expect(throws: RuleViolation.self) { try ContactRules.validateBankAccount("6222 0202 0011") }
        #expect(throws: RuleViolation.self) { try ContactRules.validateBankAccount("12345") }
        #expect(throws: RuleViolation.self) { try ContactRules.validateBankAccount("６２２２０２０２００１１２２３３") }
        try ContactRules.validateBankAccount(String(repeating: "6", count: 30))
        #expect(throws: RuleViolation.self) { try ContactRules.validateBankAccount(String(repeating: "6", count: 31)) }
        #expect(throws: RuleViolation.self) { try ContactRules.validateBankName("   ") }
    }
}

@Suite struct MoneyTests {
    @Test func parsesAndFormatsExactly() {
        #expect(Money("79")?.cents == 7900)
        #expect(Money("79.5")?.cents == 7950)
        #expect(Money("112.86")?.description == "112.86")
        #expect(Money("-3.05")?.description == "-3.05")
        #expect(Money("0.1")! + Money("0.2")! == Money("0.3")!)
        for bad in ["", "1.234", "1.", ".5", "1e3", "12a"] { #expect(Money(bad) == nil, "\(bad)") }
    }
}

@Suite struct CalendarDateTests {
    @Test func dayArithmeticAcrossMonthsAndLeapYears() {
        let admitted = CalendarDate("2025-01-04")!
        let discharged = CalendarDate("2025-01-13")!
        #expect(admitted.days(until: discharged) == 9)
        #expect(CalendarDate("2024-02-28")!.adding(days: 1).description == "2024-02-29")
        #expect(CalendarDate("2023-02-28")!.adding(days: 1).description == "2023-03-01")
        #expect(CalendarDate("2024-11-10")!.adding(days: 364).description == "2025-11-09")
        #expect(CalendarDate(dayNumber: 0).description == "1970-01-01")
    }

    @Test func rejectsImpossibleDates() {
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2024-13-01") == nil)
        #expect(CalendarDate("2024-1-01") == nil)
    }
}

import Testing

@testable import MutualAidDomain

@Suite struct UnitRulesTests {
    @Test func creditCodeCheckCharacterMatchesPublishedCodes() throws {
        #expect(UnifiedSocialCreditCode.checkCharacter(for: "91350100M000100Y4") == "3")
        try UnifiedSocialCreditCode.validate("91350100M000100Y43")
        try UnifiedSocialCreditCode.validate("91350100m000100y43")  // typed in lower case
        #expect(throws: RuleViolation.self) { try UnifiedSocialCreditCode.validate("91350100M000100Y44") }
        #expect(throws: RuleViolation.self) { try UnifiedSocialCreditCode.validate("91350100M000100Y4") }
        // I is not in the alphabet.
        #expect(throws: RuleViolation.self) { try UnifiedSocialCreditCode.validate("91350100I000100Y43") }
    }

    @Test func officePhoneNeedsAreaCode() throws {
        for ok in ["0914-2312345", "029-88881234", "02988881234"] { try ContactRules.validateOfficePhone(ok) }
        for bad in ["2312345", "13809160001", "0914-23", "914-2312345", "0914-231234a"] {
            #expect(throws: RuleViolation.self, "\(bad)") { try ContactRules.validateOfficePhone(bad) }
        }
    }

    @Test func emailShape() throws {
        try ContactRules.validateEmail("gonghui@example.com")
        for bad in ["gonghui", "a@b", "@example.com", "a b@example.com", "a@.com"] {
            #expect(throws: RuleViolation.self, "\(bad)") { try ContactRules.validateEmail(bad) }
        }
    }

    static func form(code: String = "91350100M000100Y43", mobile: String = "13809160001") -> UnitRegistrationForm {
        UnitRegistrationForm(
            officeId: "2602", agencyId: "sl-sz", name: "测试单位", nature: "企业", certType: "统一社会信用代码证",
            certExpiry: nil, code: code, unionName: "测试单位工会", unionCode: "91350100M000100Y43", industry: nil,
            parentUnit: nil, region: "陕西省-商洛市-商州区", address: "北新街1号",
            contact: UnitContactForm(
                name: "赵敏", position: nil, officePhone: "0914-2312345", mobile: mobile,
                email: "a@example.com"))
    }

    @Test func registrationFormNamesTheFirstBadField() throws {
        let today = CalendarDate(year: 2026, month: 11, day: 29)!
        try Self.form().validate(today: today)
        #expect(throws: RuleViolation(field: "code", message: "统一社会信用代码校验位不正确，请对照营业执照核对")) {
            try Self.form(code: "91350100M000100Y44").validate(today: today)
        }
        #expect(throws: RuleViolation(field: "mobile", message: "手机号码应为以1开头的11位数字")) {
            try Self.form(mobile: "2380916000").validate(today: today)
        }
        var expired = Self.form()
        expired.certExpiry = CalendarDate(year: 2026, month: 1, day: 1)
        #expect(throws: RuleViolation.self) { try expired.validate(today: today) }
        var noRegion = Self.form()
        noRegion.region = "陕西省"
        #expect(throws: RuleViolation.self) { try noRegion.validate(today: today) }
    }

    @Test func certificatePhotosAreJpegUpToTwoMegabytes() throws {
        try CertificateImage.validate([0xFF, 0xD8, 0xFF, 0xE0, 0, 0], field: "licence")
        #expect(throws: RuleViolation.self) { try CertificateImage.validate(Array("%PDF-1.4".utf8), field: "licence") }
        #expect(throws: RuleViolation.self) {
            try CertificateImage.validate(
                [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: CertificateImage.maxBytes), field: "licence")
        }
    }

    @Test func passwordRules() throws {
        try PasswordRules.validate(new: "abc12345", current: "Initial99x")
        #expect(throws: RuleViolation.self) { try PasswordRules.validate(new: "abcdefgh", current: "x") }
        #expect(throws: RuleViolation.self) { try PasswordRules.validate(new: "abc1", current: "x") }
        #expect(throws: RuleViolation.self) { try PasswordRules.validate(new: "abc12345", current: "abc12345") }
    }
}

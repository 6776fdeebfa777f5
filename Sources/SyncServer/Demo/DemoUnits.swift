import Foundation
import MutualAidDomain

/// The demo units' registration data and a year of past fee income per agency.
extension DemoData {
    /// A code with its GB 32100 check character appended.
    static func uscc(_ first17: String) -> String {
        first17 + String(UnifiedSocialCreditCode.checkCharacter(for: first17)!)
    }

    static let unitForms: [(String, UnitRegistrationForm)] = [
        (
            "unit-001",
            UnitRegistrationForm(
                officeId: "2602", agencyId: "sl-sz", name: "商洛市商州区城建公司", nature: "企业", certType: "统一社会信用代码证",
                certExpiry: nil, code: uscc("91611002MA6Y00001"), unionName: "商洛市商州区城建公司工会委员会",
                unionCode: uscc("81611002MC0000001"), industry: "建筑业", parentUnit: nil, region: "陕西省-商洛市-商州区",
                address: "商州区北新街 18 号",
                contact: UnitContactForm(
                    name: "赵敏", position: "工会干事", officePhone: "0914-2312345", mobile: "13809160001",
                    email: "zhaomin@example.com"))
        ),
        (
            "unit-002",
            UnitRegistrationForm(
                officeId: "2602", agencyId: "sl-ln", name: "洛南县第一中学", nature: "事业单位", certType: "事业单位法人证书",
                certExpiry: nil, code: uscc("12611021MB1Y00002"), unionName: "洛南县第一中学工会委员会",
                unionCode: uscc("81611021MC0000002"), industry: "教育", parentUnit: "洛南县教育局", region: "陕西省-商洛市-洛南县",
                address: "洛南县城关街道 1 号",
                contact: UnitContactForm(
                    name: "孙丽", position: "工会主席", officePhone: "0914-7321234", mobile: "13809160002",
                    email: "sunli@example.com"))
        ),
    ]

    /// Last year's archived enrolments, so the dashboard has a year to compare with.
    static func seedLastYear(_ store: SQLCaseStore, now: Date) async throws {
        let lastYear = now.addingTimeInterval(-365 * 24 * 3600)
        let seeds: [(String, String, Int)] = [("past-unit-001", "unit-001", 40), ("past-unit-002", "unit-002", 25)]
        for (id, unit, insured) in seeds {
            let fees = [
                ActivityFees(
                    activityId: "act-staff-combo", activityName: "职工综合(住院+意外)", feePerShare: Money(cents: 9500),
                    shares: 1, insured: insured)
            ]
            try await store.addArchivedApplication(id: id, unitId: unit, fees: fees, confirmedAt: lastYear, now: now)
        }
    }
}

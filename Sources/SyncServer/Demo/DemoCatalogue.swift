import MutualAidDomain

/// The activity catalogue of the operations manual (DOMAIN §4) with claim standards
/// (DOMAIN §5). Amounts are demo values of the right shape; real ones are catalogue data.
enum DemoCatalogue {
    typealias S = CatalogueActivity.Standard

    static func money(_ text: String) -> Money { Money(text)! }

    static let activities: [CatalogueActivity] = [
        CatalogueActivity(id: "act-inpatient", name: "在职职工住院医疗", subtype: "住院医疗", fee: money("125"),
                          minEnrolmentRatePercent: 60, standards: [
            S(id: "std-inpatient-med", claimType: "hospitalization", name: "住院医疗互助金",
              method: "medical-ratio", ratioBasisPoints: 7000, cap: money("30000")),
            S(id: "std-inpatient-special", claimType: "hospitalization", name: "门诊特病互助金",
              method: "medical-ratio", ratioBasisPoints: 5000, cap: money("10000")),
        ]),
        CatalogueActivity(id: "act-accident", name: "职工意外(含新就业)", subtype: "意外伤害", fee: money("20"),
                          minEnrolmentRatePercent: 30, standards: [
            S(id: "std-accident-disability", claimType: "accident-disability", name: "伤残互助金",
              method: "disability-ratio", amount: money("20000")),
            S(id: "std-accident-death", claimType: "accident-death", name: "身故和丧葬互助金",
              method: "fixed", amount: money("20000")),
        ]),
        CatalogueActivity(id: "act-critical", name: "重大疾病(35重+25轻)", subtype: "重大疾病", fee: money("35"),
                          minEnrolmentRatePercent: 30, standards: [
            S(id: "std-critical", claimType: "critical-illness", name: "重大疾病互助金", method: "fixed",
              amount: money("10000"), observationDays: 60, consolation: money("1000")),
            S(id: "std-critical-mild", claimType: "critical-illness", name: "轻症互助金", method: "fixed",
              amount: money("3000"), observationDays: 60, consolation: money("300")),
        ]),
        CatalogueActivity(id: "act-inpatient-combo", name: "住院综合(住院+重疾+意外)", subtype: "综合", fee: money("120"),
                          minEnrolmentRatePercent: 50, standards: [
            S(id: "std-combo-med", claimType: "hospitalization", name: "住院医疗互助金",
              method: "medical-ratio", ratioBasisPoints: 6000, cap: money("20000")),
            S(id: "std-combo-critical", claimType: "critical-illness", name: "重大疾病互助金", method: "fixed",
              amount: money("8000"), observationDays: 60, consolation: money("800")),
            S(id: "std-combo-death", claimType: "accident-death", name: "身故和丧葬互助金",
              method: "fixed", amount: money("10000")),
        ]),
        CatalogueActivity(id: "act-allowance-combo", name: "住院津贴综合(津贴+重疾)", subtype: "综合", fee: money("80"),
                          minEnrolmentRatePercent: 50, standards: [
            S(id: "std-allowance", claimType: "hospitalization", name: "住院津贴互助金",
              method: "daily-allowance", amount: money("50"), cap: money("9000")),
            S(id: "std-allowance-critical", claimType: "critical-illness", name: "重大疾病互助金", method: "fixed",
              amount: money("6000"), observationDays: 60, consolation: money("600")),
        ]),
        CatalogueActivity(id: "act-staff-combo", name: "职工综合(住院+意外)", subtype: "综合", fee: money("95"),
                          minEnrolmentRatePercent: 50, standards: [
            S(id: "std-staff-med", claimType: "hospitalization", name: "住院医疗互助金",
              method: "medical-ratio", ratioBasisPoints: 7000, cap: money("20000")),
            S(id: "std-staff-disability", claimType: "accident-disability", name: "伤残互助金",
              method: "disability-ratio", amount: money("20000")),
            S(id: "std-staff-death", claimType: "accident-death", name: "身故和丧葬互助金",
              method: "fixed", amount: money("20000")),
        ]),
    ]
}

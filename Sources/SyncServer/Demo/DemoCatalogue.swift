import MutualAidDomain

/// The activity catalogue of the operations manual (DOMAIN §4) with claim standards
/// (DOMAIN §5). Amounts are demo values of the right shape; real ones are catalogue data.
enum DemoCatalogue {
    typealias S = ClaimStandard

    static func money(_ text: String) -> Money { Money(text)! }

    /// Standards are written without their activity id; it is filled in here.
    static func activity(
        id: String, name: String, subtype: String, fee: Money, minEnrolmentRatePercent: Int,
        standards: [S]
    ) -> ProtectionActivity {
        ProtectionActivity(
            id: id, name: name, subtype: subtype, fee: fee, minEnrolmentRatePercent: minEnrolmentRatePercent,
            standards: standards.map { s in
                var s = s
                s.activityId = id
                return s
            })
    }

    static let activities: [ProtectionActivity] = [
        activity(
            id: "act-inpatient", name: "在职职工住院医疗", subtype: "住院医疗", fee: money("125"),
            minEnrolmentRatePercent: 60,
            standards: [
                S(
                    id: "std-inpatient-med", activityId: "", claimType: .hospitalization, name: "住院医疗互助金",
                    method: .medicalRatio, ratioBasisPoints: 7000, cap: money("30000")),
                S(
                    id: "std-inpatient-special", activityId: "", claimType: .hospitalization, name: "门诊特病互助金",
                    method: .medicalRatio, ratioBasisPoints: 5000, cap: money("10000")),
            ]),
        activity(
            id: "act-accident", name: "职工意外(含新就业)", subtype: "意外伤害", fee: money("20"),
            minEnrolmentRatePercent: 30,
            standards: [
                S(
                    id: "std-accident-disability", activityId: "", claimType: .accidentDisability, name: "伤残互助金",
                    method: .disabilityRatio, amount: money("20000")),
                S(
                    id: "std-accident-death", activityId: "", claimType: .accidentDeath, name: "身故和丧葬互助金",
                    method: .fixed, amount: money("20000")),
            ]),
        activity(
            id: "act-critical", name: "重大疾病(35重+25轻)", subtype: "重大疾病", fee: money("35"),
            minEnrolmentRatePercent: 30,
            standards: [
                S(
                    id: "std-critical", activityId: "", claimType: .criticalIllness, name: "重大疾病互助金", method: .fixed,
                    amount: money("10000"), waitingDays: 30, observationDays: 60, consolation: money("1000")),
                S(
                    id: "std-critical-mild", activityId: "", claimType: .criticalIllness, name: "轻症互助金", method: .fixed,
                    amount: money("3000"), waitingDays: 30, observationDays: 60, consolation: money("300")),
            ]),
        activity(
            id: "act-inpatient-combo", name: "住院综合(住院+重疾+意外)", subtype: "综合", fee: money("120"),
            minEnrolmentRatePercent: 50,
            standards: [
                S(
                    id: "std-combo-med", activityId: "", claimType: .hospitalization, name: "住院医疗互助金",
                    method: .medicalRatio, ratioBasisPoints: 6000, cap: money("20000")),
                S(
                    id: "std-combo-critical", activityId: "", claimType: .criticalIllness, name: "重大疾病互助金",
                    method: .fixed,
                    amount: money("8000"), waitingDays: 30, observationDays: 60, consolation: money("800")),
                S(
                    id: "std-combo-death", activityId: "", claimType: .accidentDeath, name: "身故和丧葬互助金",
                    method: .fixed, amount: money("10000")),
            ]),
        activity(
            id: "act-allowance-combo", name: "住院津贴综合(津贴+重疾)", subtype: "综合", fee: money("80"),
            minEnrolmentRatePercent: 50,
            standards: [
                S(
                    id: "std-allowance", activityId: "", claimType: .hospitalization, name: "住院津贴互助金",
                    method: .dailyAllowance, amount: money("50"), cap: money("9000")),
                S(
                    id: "std-allowance-critical", activityId: "", claimType: .criticalIllness, name: "重大疾病互助金",
                    method: .fixed,
                    amount: money("6000"), waitingDays: 30, observationDays: 60, consolation: money("600")),
            ]),
        activity(
            id: "act-staff-combo", name: "职工综合(住院+意外)", subtype: "综合", fee: money("95"),
            minEnrolmentRatePercent: 50,
            standards: [
                S(
                    id: "std-staff-med", activityId: "", claimType: .hospitalization, name: "住院医疗互助金",
                    method: .medicalRatio, ratioBasisPoints: 7000, cap: money("20000")),
                S(
                    id: "std-staff-disability", activityId: "", claimType: .accidentDisability, name: "伤残互助金",
                    method: .disabilityRatio, amount: money("20000")),
                S(
                    id: "std-staff-death", activityId: "", claimType: .accidentDeath, name: "身故和丧葬互助金",
                    method: .fixed, amount: money("20000")),
            ]),
    ]
}

import MutualAidDomain

/// Material checklists per claim type, from the manual's lists (DOMAIN §5, §8).
enum DemoChecklist {
    typealias M = MaterialRequirement

    static let items: [(ClaimType, [M])] = [
        (
            .hospitalization,
            [
                M(item: "id-card", name: "身份证正反面", required: true, maxCount: 2),
                M(item: "bank-card", name: "银行卡", required: true, maxCount: 1),
                M(item: "discharge-summary", name: "出院小结（出院记录）", required: true, maxCount: 3),
                M(item: "admission-record", name: "入院记录及病案首页", required: false, maxCount: 3),
                M(item: "settlement-sheet", name: "医保结算单", required: false, maxCount: 5),
                M(item: "other", name: "其他证明材料", required: false, maxCount: 5),
            ]
        ),
        (
            .accidentDisability,
            [
                M(item: "application-form", name: "申请表（单位工会盖章）", required: true, maxCount: 1),
                M(item: "id-card", name: "身份证正反面", required: true, maxCount: 2),
                M(item: "written-application", name: "本人签名的书面申请", required: true, maxCount: 1),
                M(item: "disability-assessment", name: "二级以上医院或鉴定机构的伤残鉴定", required: true, maxCount: 3),
                M(item: "medical-records", name: "诊断证明及病历（盖章）", required: true, maxCount: 5),
                M(item: "bank-card", name: "银行卡", required: true, maxCount: 1),
                M(item: "other", name: "其他证明（如事故认定书）", required: false, maxCount: 5),
            ]
        ),
        (
            .accidentDeath,
            [
                M(item: "application-form", name: "申请表（单位工会盖章）", required: true, maxCount: 1),
                M(item: "id-card", name: "身份证正反面", required: true, maxCount: 2),
                M(item: "written-application", name: "本人签名的书面申请", required: true, maxCount: 1),
                M(item: "death-certificate", name: "死亡证明及相关病历", required: true, maxCount: 3),
                M(item: "household-deregistration", name: "户籍注销证明", required: true, maxCount: 1),
                M(item: "bank-card", name: "银行卡", required: true, maxCount: 1),
                M(item: "other", name: "其他证明", required: false, maxCount: 5),
            ]
        ),
        (
            .criticalIllness,
            [
                M(item: "id-card", name: "身份证正反面", required: true, maxCount: 2),
                M(item: "bank-card", name: "银行卡", required: true, maxCount: 1),
                M(item: "diagnosis", name: "诊断证明", required: true, maxCount: 3),
                M(item: "medical-records", name: "病历及检查报告", required: true, maxCount: 5),
                M(item: "other", name: "其他证明材料", required: false, maxCount: 5),
            ]
        ),
        (
            .femaleCriticalIllness,
            [
                M(item: "id-card", name: "身份证正反面", required: true, maxCount: 2),
                M(item: "bank-card", name: "银行卡", required: true, maxCount: 1),
                M(item: "diagnosis", name: "诊断证明", required: true, maxCount: 3),
                M(item: "pathology", name: "病理报告", required: true, maxCount: 3),
                M(item: "other", name: "其他证明材料", required: false, maxCount: 5),
            ]
        ),
    ]
}

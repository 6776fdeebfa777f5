import Foundation
import GRDB
import MutualAidDomain
import OfficeFormats

/// 申领审批表 (打印管理): one printable PDF of a case from the replica, so it prints offline —
/// the member and enrolment, the payee, the settlement sheets, the benefit table, the total in
/// figures and in Chinese capitals, and the review trail.
extension MemberClient {
    public func caseForm(_ reference: String) throws -> Data {
        let claim = try claim(reference)
        guard let number = claim.caseNumber else {
            throw ClientError.invalidInput(RuleViolation(field: "case", message: "该申领尚未受理（没有案件号），受理后才能打印审批表"))
        }
        let (enrolment, sheets) = try database.read { db -> (FieldMap, [FieldMap]) in
            let id = try self.resolveClaim(db, reference)
            let enrolment = try claim.enrolmentId.flatMap {
                try self.database.table(.enrolment).load(db, id: $0)?.fields
            }
            let sheets = try self.database.table(.settlementSheet).all(db, where: "claim_id = ?", arguments: [id])
                .map(\.fields)
            return (enrolment ?? [:], sheets)
        }
        let benefit = try calculatedBenefit(reference)
        return CaseFormLayout.pdf(
            number: number, claim: claim, enrolment: enrolment, sheets: sheets, benefit: benefit)
    }
}

/// The layout of the 申领审批表; every value is printed as stored, money with two decimals.
enum CaseFormLayout {
    static let title = "职工互助保障申领审批表"

    static func pdf(number: String, claim: ClaimView, enrolment: FieldMap, sheets: [FieldMap], benefit: BenefitView?)
        -> Data
    {
        var pdf = PDFComposer(documentTitle: "\(title) \(number)")
        pdf.title(title)
        pdf.paragraph("案件号：\(number)    申领类型：\(claim.claimTypeText)    状态：\(claim.stateText)")
        let text = { (key: String) in enrolment[key]?.stringValue ?? "" }
        pdf.table(
            header: ["项目", "内容", "项目", "内容"],
            rows: [
                ["会员姓名", text("insuredName"), "身份证号码", text("idNumber")],
                ["参保单位", text("unitName"), "保障活动", text("activityName")],
                ["保障期间", "\(text("periodStart")) 至 \(text("periodEnd"))", "份数", shares(enrolment["shares"])],
                ["入院日期", claim.admitted ?? "—", "出院日期", claim.discharged ?? "—"],
                ["出险日期", claim.incidentDate ?? "—", "医院", claim.hospital ?? "—"],
                ["诊断", claim.diagnosis ?? "—", "住院天数", claim.days.map(String.init) ?? "—"],
            ], widths: [0.16, 0.34, 0.16, 0.34], size: 9)
        pdf.paragraph("领款人", size: 12)
        pdf.table(
            header: ["与会员关系", "姓名", "手机号码", "银行账号", "开户银行"],
            rows: [
                [
                    claim.payee.relation ?? "本人", claim.payee.name ?? text("insuredName"), claim.payee.mobile ?? "",
                    claim.payee.bankAccount ?? "", claim.payee.bankName ?? "",
                ]
            ], widths: [0.14, 0.14, 0.18, 0.3, 0.24], size: 9)
        if !sheets.isEmpty {
            pdf.paragraph("费用结算单", size: 12)
            pdf.table(
                header: ["医院", "入院", "出院", "总费用", "目录内", "统筹支付", "起付线", "大额"],
                rows: sheets.map { s in
                    ["hospital", "admitted", "discharged", "total", "inScope", "pooled", "deductible", "largeAmount"]
                        .map { s[$0]?.stringValue ?? "" }
                }, widths: [0.22, 0.11, 0.11, 0.11, 0.11, 0.11, 0.11, 0.12], size: 8)
        }
        if let benefit {
            pdf.paragraph("互助金计算", size: 12)
            pdf.table(
                header: ["给付标准", "计算基数", "天数", "份数", "比例（%）", "互助金（元）"],
                rows: benefit.lines.map {
                    [
                        $0.standard, $0.baseAmount, $0.baseDays.map(String.init) ?? "", String($0.shares), $0.ratio,
                        $0.benefit,
                    ]
                }, widths: [0.3, 0.14, 0.1, 0.1, 0.14, 0.22], size: 9)
            let total = Money(benefit.total)
            pdf.paragraph("互助金合计（小写）：\(total?.description ?? benefit.total) 元", size: 12)
            pdf.paragraph("互助金合计（大写）：人民币\(total?.chineseCapitals ?? "")", size: 12)
        } else {
            pdf.paragraph("互助金：尚未计算", size: 12)
        }
        pdf.paragraph("审批记录（北京时间）", size: 12)
        pdf.table(
            header: ["时间", "环节", "结果", "意见", "经办人"],
            rows: claim.trail.map { [BeijingTime.text($0.at), $0.step, $0.stateText, $0.note ?? "", $0.operator] },
            widths: [0.2, 0.16, 0.16, 0.32, 0.16], size: 9)
        pdf.spacer(12)
        pdf.paragraph("案件号 \(number)    打印：\(BeijingTime.text(Date()))", size: 9)
        return pdf.render()
    }

    static func shares(_ value: FieldValue?) -> String {
        switch value {
        case .int(let n): String(n)
        case .string(let s): s
        default: ""
        }
    }
}

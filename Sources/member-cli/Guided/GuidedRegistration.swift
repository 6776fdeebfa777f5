import Foundation
import MemberCore
import MutualAidDomain

/// `register new` at a terminal: each field the options left out, checked as typed with the
/// same rules the form is saved under; the two photos are checked as JPEG of at most 2 MB.
struct GuidedRegistration {
    let client: MemberClient
    let given: Register.New
    let prompter = Prompter()

    struct Filled {
        var form: UnitRegistrationForm
        var licence: String
        var unionCertificate: String
    }

    func run() throws -> Filled {
        let g = given
        let p = prompter
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
        p.line("单位注册：请逐项填写（带 * 的为必填；Ctrl-D 取消）。")
        let office = try g.office ?? p.text("*所属办事处编号（如 2602）", check: Prompter.fits(20, "编号"))
        let agency = try g.agency ?? p.text("*所属机构（代办机构）编号", check: Prompter.fits(40, "编号"))
        let name = try g.name ?? p.text("*单位名称", check: Prompter.fits(100, "单位名称"))
        let nature = try g.nature ?? p.choice("*单位性质", UnitRegistrationForm.natures.map { (text: $0, value: $0) })
        let certType =
            try g.certType
            ?? p.choice("*单位证件类型", UnitRegistrationForm.certTypes.map { (text: $0, value: $0) }, default: 0)
        let expiry =
            try g.certExpiry.map(Self.date)
            ?? p.date("证件有效期", optional: true, skip: "长期有效直接回车") { date in
                date < today ? "单位证件已过有效期，请使用有效证件注册" : nil
            }
        let code = try g.code ?? p.text("*单位代码（18位统一社会信用代码）", check: Self.creditCode).uppercased()
        let unionName = try g.unionName ?? p.text("*单位工会名称", check: Prompter.fits(100, "工会名称"))
        let unionCode = try g.unionCode ?? p.text("*工会信用代码（18位）", check: Self.creditCode).uppercased()
        let industry = try g.industry ?? p.optionalText("产业分类", check: Prompter.fits(50, "产业分类"))
        let parent = try g.parentUnit ?? p.optionalText("上级单位名称", check: Prompter.fits(100, "上级单位名称"))
        let region = try g.region ?? p.text("*省-市-区/县（例如 陕西省-商洛市-商州区）", check: Self.region)
        let address = try g.address ?? p.text("*详细地址", check: Prompter.fits(200, "详细地址"))
        var classified = g.classified
        if !classified, let role = try client.currentAccount()?.role, role == .agent || role == .office {
            classified = try p.confirm("是否涉密单位？", default: false)
        }
        let contact = try UnitContactForm(
            name: g.contactName ?? p.text("*联系人姓名", check: Prompter.fits(50, "姓名")),
            position: g.contactPosition ?? p.optionalText("联系人职务", check: Prompter.fits(50, "职务")),
            officePhone: g.officePhone
                ?? p.text("*办公电话（区号-号码）", check: Prompter.problem { try ContactRules.validateOfficePhone($0) }),
            mobile: g.mobile
                ?? p.text("*联系人手机号码（初始密码将发送到该手机）", check: Prompter.problem { try ContactRules.validateMobile($0) }),
            email: g.email ?? p.text("*电子邮箱", check: Prompter.problem { try ContactRules.validateEmail($0) }))
        let licence = try g.licence ?? p.ask("*单位证件照片（JPG，不超过 2 MB）", parse: Self.photo)
        let union = try g.unionCertificate ?? p.ask("*工会法人证书照片（JPG，不超过 2 MB）", parse: Self.photo)
        let form = UnitRegistrationForm(
            officeId: office, agencyId: agency, name: name, nature: nature, certType: certType, certExpiry: expiry,
            code: code, unionName: unionName, unionCode: unionCode, industry: industry, parentUnit: parent,
            region: region, address: address, classified: classified, contact: contact)
        p.summary(
            "请核对单位注册信息",
            [
                ("所属办事处", office), ("所属机构", agency), ("单位名称", name), ("单位性质", nature),
                ("证件类型", certType), ("证件有效期", expiry?.description ?? "长期有效"), ("单位代码", form.code),
                ("单位工会", unionName), ("工会信用代码", form.unionCode), ("产业分类", industry), ("上级单位", parent),
                ("省-市-区/县", region), ("详细地址", address), ("涉密单位", classified ? "是" : "否"),
                ("联系人", "\(contact.name)\(contact.position.map { "（\($0)）" } ?? "")"),
                ("办公电话", contact.officePhone), ("手机", contact.mobile), ("电子邮箱", contact.email),
                ("单位证件照片", licence), ("工会法人证书照片", union),
            ])
        guard try p.confirm(given.offline ? "确认保存？" : "确认提交？") else { throw Prompter.cancelled }
        return Filled(form: form, licence: licence, unionCertificate: union)
    }

    private static func date(_ text: String) throws -> CalendarDate {
        guard let date = CalendarDate(text) else {
            throw ClientError.invalidInput(RuleViolation(field: "certExpiry", message: "证件有效期格式应为 YYYY-MM-DD"))
        }
        return date
    }

    private static func creditCode(_ typed: String) -> String? {
        Prompter.problem { try UnifiedSocialCreditCode.validate($0.uppercased()) }(typed)
    }

    private static func region(_ typed: String) -> String? {
        typed.split(separator: "-").count == 3 ? nil : "省-市-区/县须写成三段，例如 陕西省-商洛市-商州区"
    }

    /// An existing JPEG of at most 2 MB, as the form will require when it is saved.
    private static func photo(_ typed: String) -> Result<String, Problem> {
        let path = (typed as NSString).expandingTildeInPath
        guard !path.isEmpty, let data = FileManager.default.contents(atPath: path) else {
            return .failure(Problem(typed.isEmpty ? "请填写照片文件路径" : "找不到文件 \(typed)"))
        }
        return Prompter.problem { _ in try CertificateImage.validate(data, field: "photo") }(path)
            .map { .failure(Problem($0)) } ?? .success(path)
    }
}

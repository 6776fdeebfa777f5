import Foundation

/// A unit's registration (单位注册, DOMAIN §3), as a unit clerk or an agent fills it in.
/// Field names are the synced field names of `unit_registration`.
public struct UnitRegistrationForm: Codable, Hashable, Sendable {
    public var officeId: String
    public var agencyId: String
    public var name: String
    public var nature: String
    public var certType: String
    public var certExpiry: CalendarDate?
    public var code: String
    public var unionName: String
    public var unionCode: String
    public var industry: String?
    public var parentUnit: String?
    public var region: String
    public var address: String
    /// Agent path only (是否涉密单位).
    public var classified: Bool
    public var contact: UnitContactForm

    public init(
        officeId: String, agencyId: String, name: String, nature: String, certType: String,
        certExpiry: CalendarDate?, code: String, unionName: String, unionCode: String, industry: String?,
        parentUnit: String?, region: String, address: String, classified: Bool = false, contact: UnitContactForm
    ) {
        self.officeId = officeId
        self.agencyId = agencyId
        self.name = name
        self.nature = nature
        self.certType = certType
        self.certExpiry = certExpiry
        self.code = code.uppercased()
        self.unionName = unionName
        self.unionCode = unionCode.uppercased()
        self.industry = industry
        self.parentUnit = parentUnit
        self.region = region
        self.address = address
        self.classified = classified
        self.contact = contact
    }

    public static let natures = ["行政单位", "事业单位", "企业", "社会团体", "民办非企业单位", "其他"]
    public static let certTypes = ["统一社会信用代码证", "营业执照", "事业单位法人证书", "社会团体法人登记证书", "其他"]

    /// Every required field and format, first problem first.
    public func validate(today: CalendarDate) throws(RuleViolation) {
        try Self.required(officeId, "officeId", "所属办事处")
        try Self.required(agencyId, "agencyId", "所属机构")
        try Self.text(name, "name", "单位名称", max: 100)
        guard Self.natures.contains(nature) else {
            throw RuleViolation(field: "nature", message: "单位性质须是：\(Self.natures.joined(separator: "、"))")
        }
        guard Self.certTypes.contains(certType) else {
            throw RuleViolation(field: "certType", message: "单位证件类型须是：\(Self.certTypes.joined(separator: "、"))")
        }
        if let certExpiry, certExpiry < today {
            throw RuleViolation(field: "certExpiry", message: "单位证件已过有效期，请使用有效证件注册")
        }
        try UnifiedSocialCreditCode.validate(code, field: "code")
        try Self.text(unionName, "unionName", "单位工会名称", max: 100)
        try UnifiedSocialCreditCode.validate(unionCode, field: "unionCode")
        if let industry { try Self.text(industry, "industry", "产业分类", max: 50, required: false) }
        if let parentUnit { try Self.text(parentUnit, "parentUnit", "上级单位名称", max: 100, required: false) }
        guard region.split(separator: "-").count == 3 else {
            throw RuleViolation(field: "region", message: "省-市-区/县须写成三段，例如 陕西省-商洛市-商州区")
        }
        try Self.text(address, "address", "详细地址", max: 200)
        try contact.validate()
    }

    static func required(_ value: String, _ field: String, _ label: String) throws(RuleViolation) {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RuleViolation(field: field, message: "\(label)不能为空")
        }
    }

    static func text(_ value: String, _ field: String, _ label: String, max: Int, required: Bool = true)
        throws(RuleViolation)
    {
        if required { try Self.required(value, field, label) }
        guard TextLimit.fits(value, characters: max) else {
            throw RuleViolation(field: field, message: "\(label)不能超过\(max)个字")
        }
    }
}

/// A unit's contact person (联系人); a unit may later have several, each valid or not.
public struct UnitContactForm: Codable, Hashable, Sendable {
    public var name: String
    public var position: String?
    public var officePhone: String
    public var mobile: String
    public var email: String

    public init(name: String, position: String?, officePhone: String, mobile: String, email: String) {
        self.name = name
        self.position = position
        self.officePhone = officePhone
        self.mobile = mobile
        self.email = email
    }

    public func validate() throws(RuleViolation) {
        try UnitRegistrationForm.text(name, "contactName", "联系人姓名", max: 50)
        if let position { try UnitRegistrationForm.text(position, "position", "职务", max: 50, required: false) }
        try ContactRules.validateOfficePhone(officePhone)
        try ContactRules.validateMobile(mobile)
        try ContactRules.validateEmail(email)
    }
}

/// The two certificate photos: JPEG by content, at most 2 MB.
public enum CertificateImage {
    public static let maxBytes = 2 * 1024 * 1024

    public static func validate(_ bytes: some Collection<UInt8>, field: String) throws(RuleViolation) {
        guard bytes.count <= maxBytes else {
            throw RuleViolation(field: field, message: "证件照片不能超过 2 MB，请压缩后重试")
        }
        guard bytes.count > 3, Array(bytes.prefix(3)) == [0xFF, 0xD8, 0xFF] else {
            throw RuleViolation(field: field, message: "证件照片须是 JPG 图片")
        }
    }
}

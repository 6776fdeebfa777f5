import MutualAidDomain

/// Fields a member types for a claim (快速申领); nil leaves a field as it is.
public struct ClaimInput: Sendable {
    public var claimType: ClaimType?
    public var standardIds: [String]?
    public var enrolmentId: String?
    public var admitted: String?
    public var discharged: String?
    public var incidentDate: String?
    public var hospital: String?
    public var diagnosis: String?
    public var note: String?

    public init(
        claimType: ClaimType? = nil, standardIds: [String]? = nil, enrolmentId: String? = nil,
        admitted: String? = nil, discharged: String? = nil, incidentDate: String? = nil,
        hospital: String? = nil, diagnosis: String? = nil, note: String? = nil
    ) {
        self.claimType = claimType
        self.standardIds = standardIds
        self.enrolmentId = enrolmentId
        self.admitted = admitted
        self.discharged = discharged
        self.incidentDate = incidentDate
        self.hospital = hospital
        self.diagnosis = diagnosis
        self.note = note
    }

    var fields: FieldMap {
        var f = FieldMap()
        if let claimType { f["claimType"] = .string(claimType.rawValue) }
        if let standardIds { f["standardIds"] = .string(ClaimDraft.encodeStandardIds(standardIds)) }
        if let enrolmentId { f["enrolmentId"] = .string(enrolmentId) }
        for (key, value) in [
            ("admitted", admitted), ("discharged", discharged), ("incidentDate", incidentDate),
            ("hospital", hospital), ("diagnosis", diagnosis), ("note", note),
        ] {
            if let value { f[key] = .string(value.trimmingCharacters(in: .whitespaces)) }
        }
        return f
    }
}

public struct PayeeInput: Sendable {
    public var relation: String?
    public var name: String?
    public var mobile: String?
    public var bankAccount: String?
    public var bankName: String?

    public init(
        relation: String? = nil, name: String? = nil, mobile: String? = nil, bankAccount: String? = nil,
        bankName: String? = nil
    ) {
        self.relation = relation
        self.name = name
        self.mobile = mobile
        self.bankAccount = bankAccount
        self.bankName = bankName
    }

    var fields: FieldMap {
        var f = FieldMap()
        for (key, value) in [
            ("payeeRelation", relation), ("payeeName", name), ("payeeMobile", mobile),
            ("payeeBankAccount", bankAccount), ("payeeBankName", bankName),
        ] {
            if let value { f[key] = .string(value.trimmingCharacters(in: .whitespaces)) }
        }
        return f
    }
}

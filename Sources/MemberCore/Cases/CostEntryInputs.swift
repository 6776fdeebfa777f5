import MutualAidDomain

/// One settlement sheet (医保结算单) as staff type it: amounts and dates as text, checked by the
/// `settlement_sheet` field rules when saved; nil is "not given".
public struct SettlementSheetInput: Sendable, Equatable {
    public var hospital: String?
    public var hospitalLevel: String?
    public var insuranceType: String?
    public var sheetNumber: String?
    public var admitted: String?
    public var discharged: String?
    public var total: String?
    public var inScope: String?
    public var pooled: String?
    public var deductible: String?
    public var largeAmount: String?
    public var partialSelfPay: String?
    public var fullSelfPay: String?
    public var overLimitSelfPay: String?
    public var personalAccount: String?
    public var cash: String?
    public var personalBurden: String?
    public var outOfArea: Bool?
    public var thirdParty: String?
    public var civilServantSubsidy: String?

    public init(
        hospital: String? = nil, hospitalLevel: String? = nil, insuranceType: String? = nil, sheetNumber: String? = nil,
        admitted: String? = nil, discharged: String? = nil, total: String? = nil, inScope: String? = nil,
        pooled: String? = nil, deductible: String? = nil, largeAmount: String? = nil, partialSelfPay: String? = nil,
        fullSelfPay: String? = nil, overLimitSelfPay: String? = nil, personalAccount: String? = nil,
        cash: String? = nil,
        personalBurden: String? = nil, outOfArea: Bool? = nil, thirdParty: String? = nil,
        civilServantSubsidy: String? = nil
    ) {
        self.hospital = hospital
        self.hospitalLevel = hospitalLevel
        self.insuranceType = insuranceType
        self.sheetNumber = sheetNumber
        self.admitted = admitted
        self.discharged = discharged
        self.total = total
        self.inScope = inScope
        self.pooled = pooled
        self.deductible = deductible
        self.largeAmount = largeAmount
        self.partialSelfPay = partialSelfPay
        self.fullSelfPay = fullSelfPay
        self.overLimitSelfPay = overLimitSelfPay
        self.personalAccount = personalAccount
        self.cash = cash
        self.personalBurden = personalBurden
        self.outOfArea = outOfArea
        self.thirdParty = thirdParty
        self.civilServantSubsidy = civilServantSubsidy
    }

    /// The `settlement_sheet` record's fields (without `claimId`).
    var fields: FieldMap {
        var f = FieldMap()
        let texts: [(String, String?)] = [
            ("hospital", hospital), ("hospitalLevel", hospitalLevel), ("insuranceType", insuranceType),
            ("sheetNumber", sheetNumber),
            ("admitted", admitted), ("discharged", discharged), ("total", total), ("inScope", inScope),
            ("pooled", pooled),
            ("deductible", deductible), ("largeAmount", largeAmount), ("partialSelfPay", partialSelfPay),
            ("fullSelfPay", fullSelfPay), ("overLimitSelfPay", overLimitSelfPay), ("personalAccount", personalAccount),
            ("cash", cash), ("personalBurden", personalBurden), ("thirdParty", thirdParty),
            ("civilServantSubsidy", civilServantSubsidy),
        ]
        for (key, value) in texts { if let value { f[key] = .string(value) } }
        if let outOfArea { f["outOfArea"] = .int(outOfArea ? 1 : 0) }
        return f
    }
}

/// Cost entry on the claim itself (出险信息, 领款人): nil leaves a field as it is.
public struct CostEntryInput: Sendable {
    /// A disability ratio typed directly instead of a grade, with the reason (e.g. 未定级).
    public struct DisabilityRatio: Sendable, Equatable {
        public var basisPoints: Int
        public var reason: String
        public init(basisPoints: Int, reason: String) {
            self.basisPoints = basisPoints
            self.reason = reason
        }
    }

    public var payee: PayeeInput?
    /// "alive" or "deceased".
    public var insuredStatus: String?
    public var admitted: String?
    public var discharged: String?
    public var incidentDate: String?
    public var hospital: String?
    public var diagnosis: String?
    public var disabilityItem: String?
    public var note: String?
    /// A grade of the disability table; the ratio then comes from the table.
    public var disabilityGrade: Int?
    public var disabilityRatio: DisabilityRatio?

    public init(
        payee: PayeeInput? = nil, insuredStatus: String? = nil, admitted: String? = nil, discharged: String? = nil,
        incidentDate: String? = nil, hospital: String? = nil, diagnosis: String? = nil, disabilityItem: String? = nil,
        note: String? = nil, disabilityGrade: Int? = nil, disabilityRatio: DisabilityRatio? = nil
    ) {
        self.payee = payee
        self.insuredStatus = insuredStatus
        self.admitted = admitted
        self.discharged = discharged
        self.incidentDate = incidentDate
        self.hospital = hospital
        self.diagnosis = diagnosis
        self.disabilityItem = disabilityItem
        self.note = note
        self.disabilityGrade = disabilityGrade
        self.disabilityRatio = disabilityRatio
    }

    /// The changed fields of the `claim` record.
    var fields: FieldMap {
        var f = payee?.fields ?? FieldMap()
        for (key, value) in [
            ("insuredStatus", insuredStatus), ("admitted", admitted), ("discharged", discharged),
            ("incidentDate", incidentDate), ("hospital", hospital), ("diagnosis", diagnosis),
            ("disabilityItem", disabilityItem), ("note", note),
        ] {
            if let value { f[key] = .string(value) }
        }
        if let disabilityGrade {
            // The ratio comes from the grade table; an earlier explicit ratio no longer applies.
            f["disabilityGrade"] = .int(Int64(disabilityGrade))
            f["disabilityRatioBp"] = .null
            f["disabilityRatioReason"] = .null
        }
        if let disabilityRatio {
            f["disabilityRatioBp"] = .int(Int64(disabilityRatio.basisPoints))
            f["disabilityRatioReason"] = .string(disabilityRatio.reason)
        }
        return f
    }
}

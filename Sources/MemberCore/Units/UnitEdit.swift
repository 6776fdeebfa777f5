import MutualAidDomain

/// Changes to a unit's data by an agent (单位信息维护): nil leaves a field as it is.
public struct UnitEdit: Sendable, Equatable {
    public var name: String?
    public var nature: String?
    /// The unified social credit code (统一社会信用代码), upper case.
    public var code: String?
    public var unionName: String?
    /// The union's credit code, upper case.
    public var unionCode: String?
    public var industry: String?
    public var parentUnit: String?
    /// 省-市-区/县.
    public var region: String?
    public var address: String?

    public init(
        name: String? = nil, nature: String? = nil, code: String? = nil, unionName: String? = nil,
        unionCode: String? = nil,
        industry: String? = nil, parentUnit: String? = nil, region: String? = nil, address: String? = nil
    ) {
        self.name = name
        self.nature = nature
        self.code = code
        self.unionName = unionName
        self.unionCode = unionCode
        self.industry = industry
        self.parentUnit = parentUnit
        self.region = region
        self.address = address
    }

    /// The changed fields of the `unit` record.
    var fields: FieldMap {
        var f = FieldMap()
        for (key, value) in [
            ("name", name), ("nature", nature), ("code", code), ("unionName", unionName),
            ("unionCode", unionCode), ("industry", industry),
            ("parentUnit", parentUnit), ("region", region), ("address", address),
        ] {
            if let value { f[key] = .string(value) }
        }
        return f
    }
}

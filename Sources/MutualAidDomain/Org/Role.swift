/// Who an account is, in the words of DOMAIN §1.
public enum Role: String, Codable, Sendable, CaseIterable {
    case member, unit, agent, office, finance

    public var chineseName: String {
        switch self {
        case .member: "会员"
        case .unit: "基层单位经办人"
        case .agent: "代办机构经办人"
        case .office: "办事处审核人"
        case .finance: "财务"
        }
    }
}

/// A node kind in the organisation tree: association → office → city → county → unit.
public enum OrgLevel: String, Codable, Sendable, CaseIterable {
    case association, office, city, county, unit, member

    public var chineseName: String {
        switch self {
        case .association: "互助会"
        case .office: "办事处"
        case .city: "市级代办机构"
        case .county: "县级代办机构"
        case .unit: "参保单位"
        case .member: "会员"
        }
    }
}

/// What part of the tree an account may see. Organisation paths look like
/// "/2602/sl/sz/u1/": a subtree is every path with that prefix.
public enum Scope: Hashable, Sendable {
    /// A member sees only their own records.
    case member(memberId: String)
    /// Staff see the subtree under their organisation.
    case subtree(path: String)

    public func contains(orgPath: String) -> Bool {
        switch self {
        case .member: false
        case .subtree(let path): orgPath.hasPrefix(path)
        }
    }
}

import Foundation
import MutualAidDomain

/// `sync-server demo`: the office 2602, a city and two counties, the catalogue, two units,
/// three members and one login for every role, each with a fresh random password.
public enum DemoData {
    public struct Login: Codable, Sendable {
        public var role: Role
        public var login: String
        public var password: String
        public var name: String
        public var org: String
        public var level: OrgLevel
    }

    public enum Failure: Error, CustomStringConvertible {
        case notEmpty
        public var description: String { "数据目录中已有数据；演示数据只能装入新的数据目录" }
    }

    static let orgs: [NewOrg] = [
        NewOrg(id: "2602", parentId: nil, level: .office, code: "2602", name: "陕西省办事处"),
        NewOrg(id: "sl", parentId: "2602", level: .city, code: "2602-01", name: "商洛代办处"),
        NewOrg(id: "sl-sz", parentId: "sl", level: .county, code: "2602-01-01", name: "商州区总工会"),
        NewOrg(id: "sl-ln", parentId: "sl", level: .county, code: "2602-01-02", name: "洛南县总工会"),
        NewOrg(id: "unit-001", parentId: "sl-sz", level: .unit, code: uscc("91611002MA6Y00001"), name: "商洛市商州区城建公司"),
        NewOrg(id: "unit-002", parentId: "sl-ln", level: .unit, code: uscc("12611021MB1Y00002"), name: "洛南县第一中学"),
    ]

    /// Members: name, unit, the first 17 digits of the ID number (the check digit is computed).
    static let members: [(login: String, name: String, unit: String, id17: String)] = [
        ("zhangwei", "张伟", "unit-001", "61100219850312001"),
        ("lina", "李娜", "unit-001", "61100219900718002"),
        ("wangfang", "王芳", "unit-002", "61102119781105004"),
    ]

    /// Insured persons who have not activated an account yet (激活会员身份 in the demo and tests).
    public struct Unactivated: Codable, Sendable {
        public var idNumber: String
        public var name: String
        public var mobile: String
    }

    static let unactivatedSeeds: [(name: String, unit: String, id17: String)] = [
        ("陈静", "unit-001", "61100219920214002"),
        ("刘洋", "unit-002", "61102119870930003"),
    ]

    public static let unactivated: [Unactivated] = unactivatedSeeds.enumerated().map { i, p in
        Unactivated(
            idNumber: p.id17 + String(ResidentID.checkCharacter(for: p.id17)!), name: p.name,
            mobile: "1390916\(String(format: "%04d", 2001 + i))")
    }

    static let staff: [(login: String, role: Role, name: String, org: String)] = [
        ("unit001", .unit, "赵敏", "unit-001"),
        ("unit002", .unit, "孙丽", "unit-002"),
        ("sz-agent", .agent, "周强", "sl-sz"),
        ("sl-agent", .agent, "吴刚", "sl"),
        ("office2602", .office, "郑洁", "2602"),
        ("finance2602", .finance, "冯涛", "2602"),
    ]

    public static func load(into store: SQLCaseStore, hasher: PasswordHasher, now: Date = Date()) async throws
        -> [Login]
    {
        guard try await store.isEmpty() else { throw Failure.notEmpty }
        for org in orgs { try await store.addOrg(org) }
        for (orgId, form) in unitForms {
            try await store.addUnitDetails(orgId: orgId, form, now: now)
        }
        for activity in DemoCatalogue.activities { try await store.addActivity(activity, now: now) }
        for grade in DisabilityGrade.standardTable { try await store.putDisabilityGrade(grade, now: now) }
        for (claimType, items) in DemoChecklist.items {
            for (i, item) in items.enumerated() {
                try await store.addMaterialItem(claimType: claimType, item, sortOrder: i, now: now)
            }
        }
        let orgByID = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id, $0) })
        var logins: [Login] = []
        for (i, m) in members.enumerated() {
            let idNumber = m.id17 + String(ResidentID.checkCharacter(for: m.id17)!)
            let memberId = "m-\(String(format: "%03d", i + 1))"
            try await store.addMember(
                NewMember(
                    id: memberId, unitId: m.unit, name: m.name, idNumber: idNumber,
                    mobile: "1380916\(String(format: "%04d", 1001 + i))"), now: now)
            let password = randomPassword()
            _ = try await store.addAccount(
                NewAccount(
                    login: m.login, role: .member, orgId: m.unit, name: m.name,
                    memberId: memberId, passwordHash: try hasher.hash(password)), now: now)
            logins.append(
                Login(
                    role: .member, login: m.login, password: password, name: m.name,
                    org: orgByID[m.unit]!.name, level: .member))
            for (j, e) in enrolments(for: i, today: CalendarDate.today(in: CalendarDate.chinaTimeZone, now: now))
                .enumerated()
            {
                try await store.addEnrolment(
                    NewEnrolment(
                        id: "e-\(memberId)-\(j + 1)", memberId: memberId,
                        activityId: e.activity, period: e.period, shares: e.shares,
                        renewal: e.renewal), now: now)
            }
        }
        try await seedLastYear(store, now: now)
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone, now: now)
        for (i, person) in unactivated.enumerated() {
            let memberId = "m-new-\(i + 1)"
            try await store.addMember(
                NewMember(
                    id: memberId, unitId: unactivatedSeeds[i].unit, name: person.name, idNumber: person.idNumber,
                    mobile: person.mobile), now: now)
            try await store.addEnrolment(
                NewEnrolment(
                    id: "e-\(memberId)-1", memberId: memberId, activityId: "act-staff-combo",
                    period: ProtectionPeriod.oneYear(from: today.adding(days: -60)), shares: 1, renewal: false),
                now: now)
        }
        for s in staff {
            let password = randomPassword()
            _ = try await store.addAccount(
                NewAccount(
                    login: s.login, role: s.role, orgId: s.org, name: s.name,
                    memberId: nil, passwordHash: try hasher.hash(password)), now: now)
            let org = orgByID[s.org]!
            logins.append(
                Login(role: s.role, login: s.login, password: password, name: s.name, org: org.name, level: org.level))
        }
        return logins
    }

    /// Every member holds a current 职工综合 enrolment (hospitalisation and accident standards)
    /// that began 120 days ago; the first also a critical-illness one renewed within 15 days,
    /// and an expired inpatient one from the year before; the second an accident cover ending
    /// in ten days.
    static func enrolments(for index: Int, today: CalendarDate) -> [(
        activity: String, period: ProtectionPeriod, shares: Int, renewal: Bool
    )] {
        let current = ProtectionPeriod.oneYear(from: today.adding(days: -120))
        var list = [("act-staff-combo", current, 1, false)]
        if index == 1 {
            // Expires within the renewal window: a unit can renew it now (续保).
            list.append(("act-accident", ProtectionPeriod.oneYear(from: today.adding(days: -355)), 1, false))
        }
        if index == 0 {
            list.append(("act-critical", ProtectionPeriod.oneYear(from: today.adding(days: -40)), 2, true))
            list.append(("act-inpatient", ProtectionPeriod.oneYear(from: today.adding(days: -500)), 1, false))
        }
        return list
    }

    public static func randomPassword() -> String { OneTimePassword.make() }
}

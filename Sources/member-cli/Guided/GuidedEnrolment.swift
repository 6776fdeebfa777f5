import Foundation
import MemberCore
import MutualAidDomain

/// `enrolment new` at a terminal: activities from the local catalogue, the unit from the local
/// unit list (agents only; a unit clerk enrols their own unit), then the head counts.
struct GuidedEnrolment {
    let client: MemberClient
    let given: EnrolmentCommand.New
    let prompter = Prompter()

    struct Filled {
        var activities: [String]
        var shares: Int
        var employees: Int
        var women: Int
        var highRisk: Int
        var newEmployment: Bool
        var unit: String?
    }

    func run() throws -> Filled {
        let p = prompter
        let catalogue = try client.catalogue()
        guard !catalogue.isEmpty || !given.activities.isEmpty else {
            throw ClientError.invalidInput(
                RuleViolation(field: "activity", message: "本机还没有保障活动目录。联网后运行 member-cli sync 获取"))
        }
        let unit = try given.unit ?? pickUnit()
        let activities =
            try given.activities.isEmpty
            ? p.choices(
                "保障活动", catalogue.map { (text: "\($0.name)（\($0.subtype)）  \($0.fee) 元/份", value: $0.id) })
            : given.activities
        let shares = try given.shares ?? p.number("每人份数", range: 1...EnrolmentSummaries.maxShares, default: 1)
        let employees = try given.employees ?? p.number("在职职工人数", range: 1...1_000_000)
        let women = try given.women ?? p.number("其中在职女职工人数", range: 0...employees)
        let highRisk = try given.highRisk ?? p.number("高危职业人数", range: 0...employees, default: 0)
        let newEmployment = try given.newEmployment || p.confirm("是否新就业形态？", default: false)
        let names = activities.map { id in catalogue.first { $0.id == id }.map { "\($0.name)（\($0.fee) 元/份）" } ?? id }
        p.summary(
            "请核对参保申请",
            [
                ("参保单位", unit.map { id in (try? client.unit(id)).map { "\($0.name)（\($0.code)）" } ?? id } ?? "本单位"),
                ("保障活动", names.joined(separator: "、")), ("每人份数", String(shares)),
                ("在职职工人数", String(employees)), ("其中女职工", String(women)), ("高危职业人数", String(highRisk)),
                ("新就业形态", newEmployment ? "是" : "否"),
            ])
        guard try p.confirm("确认保存？") else { throw Prompter.cancelled }
        return Filled(
            activities: activities, shares: shares, employees: employees, women: women, highRisk: highRisk,
            newEmployment: newEmployment, unit: unit)
    }

    /// Agents pick the unit from their local list, narrowed by a name or code when it is long;
    /// a unit clerk's own unit is implied (nil).
    private func pickUnit() throws -> String? {
        guard let role = try client.currentAccount()?.role, role == .agent else { return nil }
        var units = try client.units()
        while units.count > 20 {
            let needle = try prompter.text("参保单位名称或代码（部分即可）")
            let found = try client.units(matching: needle)
            if found.isEmpty { prompter.line("  ✗ 本机没有名称或代码包含「\(needle)」的单位，请重新输入。") } else { units = found }
        }
        guard !units.isEmpty else {
            throw ClientError.invalidInput(
                RuleViolation(field: "unit", message: "本机没有所辖单位的记录。联网后运行 member-cli sync 获取"))
        }
        return try prompter.choice("参保单位", units.map { (text: "\($0.name)（\($0.code)）", value: $0.id) })
    }
}

import Foundation
import GRDB
import MutualAidDomain

/// Work pools of the enrolment steps and of registration review, from the local replica (sync
/// first for the latest), and acquiring or releasing their items. These pools have no
/// suspended tab in the manual, so `--tab suspended` lists nothing.
extension MemberClient {
    /// The applications waiting at an enrolment step. The claim-only filters do not apply.
    public func enrolmentPool(_ step: EnrolmentPoolStep, filter: PoolFilter = PoolFilter()) throws -> [PoolApplication]
    {
        try database.read { db in
            try self.database.table(.enrolmentApplication).all(db).compactMap { id, f -> PoolApplication? in
                let state = f["state"]?.stringValue.flatMap(EnrolmentState.init(rawValue:)) ?? .draft
                guard EnrolmentPoolStep.waiting(state) == step else { return nil }
                let summary = JSONText.decode([ActivitySummary].self, f["summary"]?.stringValue) ?? []
                let holder = f["holderLogin"]?.stringValue
                let row = PoolApplication(
                    id: id, state: state.rawValue, stateText: state.chineseName,
                    tab: PoolHolding.tab(holder: holder).rawValue, unitId: f["unitId"]?.stringValue,
                    unit: f["unitName"]?.stringValue, agencyId: f["agencyId"]?.stringValue,
                    agency: f["agencyName"]?.stringValue, insured: summary.reduce(0) { $0 + $1.insured },
                    fee: summary.reduce(Money.zero) { $0 + $1.feeTotal }.description,
                    applicationDate: f["applicationDate"]?.stringValue, letterNumber: f["letterNumber"]?.stringValue,
                    holder: holder, holderName: f["holderName"]?.stringValue)
                let keep = Self.matches(
                    filter, tab: row.tab, agencyId: row.agencyId, unit: row.unit, date: row.applicationDate,
                    holder: holder)
                return keep ? row : nil
            }.sorted { ($0.applicationDate ?? "", $0.id) < ($1.applicationDate ?? "", $1.id) }
        }
    }

    /// The unit registrations waiting for review (注册审核).
    public func registrationPool(filter: PoolFilter = PoolFilter()) throws -> [PoolRegistration] {
        try database.read { db in
            try self.database.table(.unitRegistration).all(db).compactMap { id, f -> PoolRegistration? in
                let state = f["state"]?.stringValue ?? ""
                guard EnrolmentPoolStep.waiting(registration: state) != nil else { return nil }
                func text(_ key: String) -> String? { f[key]?.stringValue }
                let holder = text("holderLogin")
                let row = PoolRegistration(
                    id: id, state: state, stateText: "待审核", tab: PoolHolding.tab(holder: holder).rawValue,
                    name: text("name") ?? "", code: text("code") ?? "", nature: text("nature"),
                    agencyId: text("agencyId"), agency: text("agencyName"), contactName: text("contactName"),
                    officePhone: text("officePhone"), mobile: text("mobile"), submittedAt: text("submittedAt"),
                    holder: holder, holderName: text("holderName"))
                // The submission time is an instant; its date in Beijing is the day it came.
                let day = row.submittedAt.flatMap(BeijingTime.day)?.description
                let keep = Self.matches(
                    filter, tab: row.tab, agencyId: row.agencyId, unit: row.name, date: day, holder: holder)
                return keep ? row : nil
            }.sorted { ($0.submittedAt ?? "", $0.id) < ($1.submittedAt ?? "", $1.id) }
        }
    }

    static func matches(
        _ filter: PoolFilter, tab: String, agencyId: String?, unit: String?, date: String?, holder: String?
    ) -> Bool {
        if let wanted = filter.tab, wanted.rawValue != tab { return false }
        if let agency = filter.agency, agencyId != agency { return false }
        if let name = filter.unit, unit?.contains(name) != true { return false }
        if let login = filter.holder, holder != login { return false }
        let day = date.flatMap { CalendarDate(String($0.prefix(10))) }
        if let from = filter.acceptedFrom, day.map({ $0 < from }) ?? true { return false }
        if let to = filter.acceptedTo, day.map({ $0 > to }) ?? true { return false }
        return true
    }

    /// Acquires (获取) or releases applications or registrations, several at once (批量获取):
    /// one `work_action` each, pushed together; a refusal comes back with its reason.
    public func hold(_ subject: WorkSubject, acquire: Bool, _ references: [String], online: Bool = true)
        async throws -> ActionOutcome
    {
        guard !references.isEmpty else {
            throw ClientError.invalidInput(RuleViolation(field: "id", message: "请给出至少一个编号"))
        }
        // An application this device has not seen yet: fetch it first when a link is there.
        if subject == .enrolment, online,
            try database.read({ db in references.contains { (try? self.resolveApplication(db, $0)) == nil } })
        {
            do { _ = try await sync() } catch ClientError.unreachable {}
        }
        let changes = try database.write { db -> [String] in
            _ = try self.staffAccount(db, roles: [.unit, .agent, .office, .finance], what: "获取和释放")
            return try references.map { reference in
                let id = subject == .enrolment ? try self.resolveApplication(db, reference) : reference
                return try LocalEdit.insert(
                    db, self.database.table(.workAction), id: UUID().uuidString.lowercased(),
                    fields: WorkRequest(subjectId: id, action: acquire ? .acquire(subject) : .release(subject)).fields)
            }
        }
        return try await settle(changes, online: online)
    }
}

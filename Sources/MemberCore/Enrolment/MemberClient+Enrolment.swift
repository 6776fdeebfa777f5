import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol

/// Enrolment entry (参保录入) by a unit clerk or an agent, fully offline: applications and
/// their lists are written with their outbox entries; `submit` raises the submission counter.
extension MemberClient {
    public func catalogue() throws -> [ActivityView] {
        try database.read { db in
            let standards = try self.database.table(.claimStandard).all(db).map { r in
                (
                    activity: r.fields["activityId"]?.stringValue,
                    line: ActivityView.StandardLine(
                        id: r.id, claimType: r.fields["claimType"]?.stringValue ?? "",
                        name: r.fields["name"]?.stringValue ?? "", method: r.fields["method"]?.stringValue ?? "",
                        ratioBp: r.fields["ratioBp"]?.intValue, amount: r.fields["amount"]?.stringValue,
                        cap: r.fields["cap"]?.stringValue)
                )
            }
            return try self.database.table(.activity).all(db).map { r in
                ActivityView(
                    id: r.id, name: r.fields["name"]?.stringValue ?? "",
                    subtype: r.fields["subtype"]?.stringValue ?? "",
                    fee: r.fields["fee"]?.stringValue ?? "0.00",
                    minEnrolmentRatePct: r.fields["minEnrolmentRatePct"]?.intValue ?? 0,
                    standards: standards.filter { $0.activity == r.id }.map(\.line).sorted { $0.id < $1.id })
            }
        }
    }

    public func newEnrolment(
        activities: [String], shares: Int, employees: Int, women: Int, highRisk: Int = 0,
        newEmployment: Bool = false, unitId: String? = nil
    ) throws -> String {
        let id = UUID().uuidString.lowercased()
        try database.write { db in
            let account = try self.staffAccount(db, roles: [.unit, .agent], what: "参保录入")
            let unit = account.role == .unit ? account.orgId : unitId
            guard let unit, !unit.isEmpty else {
                throw ClientError.invalidInput(RuleViolation(field: "unit", message: "代办机构录入参保时请用 --unit 指定参保单位"))
            }
            let lines = activities.map { EnrolmentLine(activityId: $0, shares: shares) }
            try EnrolmentSummaries.validateEntry(
                lines: lines, employees: employees, women: women, highRisk: highRisk,
                catalogue: try self.activityCatalogue(db))
            let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
            try LocalEdit.upsert(
                db, self.database.table(.enrolmentApplication), id: id,
                fields: [
                    "unitId": .string(unit), "lines": .string(JSONText.encode(lines)),
                    "newEmployment": .int(newEmployment ? 1 : 0),
                    "employees": .int(Int64(employees)), "women": .int(Int64(women)), "highRisk": .int(Int64(highRisk)),
                    "applicationDate": .string(today.description), "submission": .int(0),
                ])
            try db.execute(
                sql: "UPDATE enrolment_application SET created_at = ?, state = 'draft' WHERE id = ?",
                arguments: [self.database.clock.iso8601, id])
        }
        return id
    }

    public func enrolmentApplications() throws -> [EnrolmentApplicationView] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM enrolment_application ORDER BY created_at DESC, id")
                .compactMap { try self.applicationView(db, id: $0) }
        }
    }

    public func enrolmentApplication(_ reference: String) throws -> EnrolmentApplicationView {
        try database.read { db in try self.applicationView(db, id: try self.resolveApplication(db, reference))! }
    }

    /// Checks locally what the server will check, raises the submission and syncs.
    public func submitEnrolment(_ reference: String, online: Bool = true) async throws -> ActionOutcome {
        let change = try database.write { db -> String in
            let id = try self.resolveApplication(db, reference)
            let app = try self.database.table(.enrolmentApplication).load(db, id: id)!.fields
            let state = app["state"]?.stringValue.flatMap(EnrolmentState.init(rawValue:)) ?? .draft
            guard state.isEditable else {
                throw ClientError.invalidInput(
                    RuleViolation(field: "state", message: "参保申请当前为「\(state.chineseName)」，不能提交"))
            }
            let lines = JSONText.decode([EnrolmentLine].self, app["lines"]?.stringValue) ?? []
            let catalogue = try self.activityCatalogue(db)
            try EnrolmentSummaries.validateEntry(
                lines: lines, employees: app["employees"]?.intValue ?? 0,
                women: app["women"]?.intValue ?? 0, highRisk: app["highRisk"]?.intValue ?? 0,
                catalogue: catalogue)
            let listed = try self.listedCounts(db, applicationId: id)
            // A change (增减员) lists only the activities it adds to or removes from.
            if app["originalId"]?.stringValue != nil {
                try self.requireChangeRows(db, id)
            } else if let empty = lines.first(where: { (listed[$0.activityId] ?? 0) == 0 }) {
                throw ClientError.invalidInput(
                    RuleViolation(
                        field: "list",
                        message:
                            "「\(catalogue[empty.activityId]?.name ?? empty.activityId)」还没有参保人员，请先用 member-cli enrolment import 导入人员清单"
                    ))
            }
            return try LocalEdit.upsert(
                db, self.database.table(.enrolmentApplication), id: id,
                fields: ["submission": .int(Int64((app["submission"]?.intValue ?? 0) + 1))])
        }
        return try await settle([change], online: online)
    }

    // MARK: Shared helpers

    func resolveApplication(_ db: Database, _ reference: String) throws -> String {
        let ref = reference.trimmingCharacters(in: .whitespaces)
        if try String.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM enrolment_application WHERE id = ?"), arguments: [ref]) != nil
        {
            return ref
        }
        if let byLetter = try String.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM enrolment_application WHERE letter_number = ?"), arguments: [ref])
        {
            return byLetter
        }
        let matches =
            ref.count >= 6
            ? try String.fetchAll(
                db.cachedStatement(
                    sql: "SELECT id FROM enrolment_application WHERE \(IdPrefix.condition) LIMIT 2"),
                arguments: [ref]) : []
        guard matches.count == 1 else {
            throw ClientError.invalidInput(
                RuleViolation(
                    field: "enrolment",
                    message: "本机找不到参保申请 \(ref.prefix(40))，请先 member-cli sync 或用 member-cli enrolment list 查看"))
        }
        return matches[0]
    }

    func activityCatalogue(_ db: Database) throws -> [String: ProtectionActivity] {
        var result: [String: ProtectionActivity] = [:]
        for r in try database.table(.activity).all(db) {
            result[r.id] = ProtectionActivity(
                id: r.id, name: r.fields["name"]?.stringValue ?? "", subtype: r.fields["subtype"]?.stringValue ?? "",
                fee: r.fields["fee"]?.stringValue.flatMap(Money.init) ?? .zero,
                minEnrolmentRatePercent: r.fields["minEnrolmentRatePct"]?.intValue ?? 0, standards: [])
        }
        guard !result.isEmpty else {
            throw ClientError.invalidInput(
                RuleViolation(field: "catalogue", message: "本机还没有保障活动目录，请联网后运行 member-cli sync"))
        }
        return result
    }

    func listedCounts(_ db: Database, applicationId: String) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT activity_id, COUNT(*) AS n FROM enrolment_person
                WHERE application_id = ? AND COALESCE(removal, 0) = 0 GROUP BY activity_id
                """,
            arguments: [applicationId])
        {
            counts[row["activity_id"]] = row["n"]
        }
        return counts
    }

    func staffAccount(_ db: Database, roles: Set<Role>, what: String) throws -> AccountInfo {
        guard let account = try Self.account(db) else { throw ClientError.notLoggedIn }
        guard roles.contains(account.role) else {
            throw ClientError.invalidInput(
                RuleViolation(
                    field: "role", message: "\(what)须由\(roles.map(\.chineseName).sorted().joined(separator: "或"))办理"))
        }
        return account
    }

    /// Server times carry fractional seconds; local ones may not.
    static func parseTimestamp(_ text: String) -> Date? { UTCStamp.date(text) }
}

extension FieldValue {
    var intValue: Int? { if case .int(let i) = self { Int(i) } else { nil } }
}

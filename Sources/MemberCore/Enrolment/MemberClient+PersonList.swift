import Foundation
import GRDB
import MutualAidDomain

/// One row of an application's person list (人员清单详情).
public struct ListedPersonView: Codable, Sendable {
    public var id: String
    public var activityId: String
    public var activityName: String
    public var rowNumber: Int?
    public var name: String
    public var idNumber: String
    public var mobile: String
    /// On a change application (增减员): the row ends this person's cover instead of adding it.
    public var removal: Bool
}

/// Viewing, correcting and removing rows of a list before submission, offline like the import:
/// each change is written with its outbox entry and the server checks the row again on push.
extension MemberClient {
    public func listedPersons(_ reference: String, activityId: String? = nil) throws -> [ListedPersonView] {
        try database.read { db in
            let appId = try self.resolveApplication(db, reference)
            let names = (try? self.activityCatalogue(db))?.mapValues(\.name) ?? [:]
            return try self.personRecords(db, appId, activityId: activityId).map { r in
                let f = r.fields
                let activity = f["activityId"]?.stringValue ?? ""
                return ListedPersonView(
                    id: r.id, activityId: activity, activityName: names[activity] ?? activity,
                    rowNumber: f["rowNumber"]?.intValue, name: f["name"]?.stringValue ?? "",
                    idNumber: f["idNumber"]?.stringValue ?? "", mobile: f["mobile"]?.stringValue ?? "",
                    removal: f["removal"]?.intValue == 1)
            }.sorted {
                ($0.activityId, $0.rowNumber ?? .max, $0.idNumber) < ($1.activityId, $1.rowNumber ?? .max, $1.idNumber)
            }
        }
    }

    /// Corrects every row of this ID number (in one activity's list when given): all or nothing.
    public func correctPerson(
        _ reference: String, idNumber: String, activityId: String? = nil, _ correction: PersonListEdit.Correction
    ) throws -> [ListedPersonView] {
        let appId = try database.write { db -> String in
            let appId = try self.editableRows(db, reference)
            let rows = try self.rows(db, appId, idNumber: idNumber, activityId: activityId)
            let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
            for row in rows {
                let f = row.fields
                let activity = f["activityId"]?.stringValue ?? ""
                let others = Set(
                    try self.personRecords(db, appId, activityId: activity).filter { $0.id != row.id }
                        .compactMap { $0.fields["idNumber"]?.stringValue })
                let cover = try self.coverEnds(db, activityId: activity)
                let corrected: PersonListRules.Person
                do throws(RuleViolation) {
                    corrected = try PersonListEdit.apply(
                        correction,
                        to: .init(
                            row: f["rowNumber"]?.intValue ?? 0, name: f["name"]?.stringValue ?? "",
                            idNumber: f["idNumber"]?.stringValue ?? "", mobile: f["mobile"]?.stringValue ?? ""),
                        listed: others, coveredUntil: { cover[$0].map { PersonListRules.Cover(until: $0) } },
                        expectedStart: today.adding(days: 1))
                } catch { throw ClientError.invalidInput(error) }
                try LocalEdit.upsert(
                    db, self.database.table(.enrolmentPerson), id: row.id,
                    fields: [
                        "name": .string(corrected.name), "idNumber": .string(corrected.idNumber),
                        "mobile": .string(corrected.mobile),
                    ])
            }
            return appId
        }
        let newId = PersonListEdit.idNumber(correction.idNumber ?? idNumber)
        return try listedPersons(appId, activityId: activityId).filter { $0.idNumber == newId }
    }

    /// Removes the rows of this ID number (from one activity's list when given); returns how many.
    public func removePerson(_ reference: String, idNumber: String, activityId: String? = nil) throws -> Int {
        try database.write { db in
            let appId = try self.editableRows(db, reference)
            let rows = try self.rows(db, appId, idNumber: idNumber, activityId: activityId)
            for row in rows { try LocalEdit.delete(db, self.database.table(.enrolmentPerson), id: row.id) }
            return rows.count
        }
    }

    // MARK: Helpers

    typealias ListRow = (id: String, fields: FieldMap)

    /// Names and ID numbers are sealed in the replica, so rows are matched after loading.
    private func personRecords(_ db: Database, _ appId: String, activityId: String?) throws -> [ListRow] {
        let persons = database.table(.enrolmentPerson)
        return try activityId.map {
            try persons.all(db, where: "application_id = ? AND activity_id = ?", arguments: [appId, $0])
        } ?? persons.all(db, where: "application_id = ?", arguments: [appId])
    }

    private func rows(_ db: Database, _ appId: String, idNumber: String, activityId: String?) throws
        -> [ListRow]
    {
        let wanted = PersonListEdit.idNumber(idNumber)
        let rows = try personRecords(db, appId, activityId: activityId).filter {
            $0.fields["idNumber"]?.stringValue == wanted
        }
        guard !rows.isEmpty else {
            throw ClientError.invalidInput(
                RuleViolation(
                    field: "idNumber",
                    message: "人员清单中没有身份证号码为 \(ResidentID.masked(wanted)) 的人员，请用 member-cli enrolment persons 查看"))
        }
        return rows
    }

    private func editableRows(_ db: Database, _ reference: String) throws -> String {
        _ = try staffAccount(db, roles: [.unit, .agent], what: "人员清单修改")
        let appId = try resolveApplication(db, reference)
        try requireEditableApplication(db, appId)
        return appId
    }
}

import Foundation
import GRDB
import MutualAidDomain
import OfficeFormats

/// 增减员 (变更管理), offline like the entry: a change application is a new application with
/// `originalId`, holding the persons added and removal rows for the persons whose cover ends;
/// it is then submitted, reviewed, invoiced and confirmed like any application.
extension MemberClient {
    /// A person typed on the command line: "姓名,身份证号码,手机号码".
    public static func personArgument(_ text: String) throws -> [String] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else {
            throw ClientError.invalidInput(
                RuleViolation(field: "person", message: "增员人员请写成 姓名,身份证号码,手机号码（英文逗号分隔）"))
        }
        return parts
    }

    /// Creates the change of a confirmed application: persons added from a list file (the
    /// import's template) and `add` rows ("姓名,身份证号码,手机号码"), all checked with the
    /// import's rules (one bad row and nothing is kept), and removals by ID number.
    public func newChange(
        _ reference: String, activityId: String? = nil, addFile: URL? = nil, add: [String] = [], remove: [String] = []
    ) throws -> String {
        let id = UUID().uuidString.lowercased()
        let fileTable = try addFile.map(Self.personTable) ?? []
        try database.write { db in
            _ = try self.staffAccount(db, roles: [.unit, .agent], what: "增减员")
            let originalId = try self.resolveApplication(db, reference)
            let original = try self.database.table(.enrolmentApplication).load(db, id: originalId)!.fields
            let state = original["state"]?.stringValue.flatMap(EnrolmentState.init(rawValue:)) ?? .draft
            guard original["originalId"]?.stringValue == nil, EnrolmentChange.isChangeable(state) else {
                throw ClientError.invalidInput(
                    RuleViolation(field: "state", message: "只能对已确认的参保申请办理增减员（该申请为「\(state.chineseName)」）"))
            }
            let lines = JSONText.decode([EnrolmentLine].self, original["lines"]?.stringValue) ?? []
            if let activityId, !lines.contains(where: { $0.activityId == activityId }) {
                throw ClientError.invalidInput(
                    RuleViolation(field: "activity", message: "保障活动 \(activityId.prefix(40)) 不在原参保申请中"))
            }
            var fields = original.filter {
                ["unitId", "lines", "newEmployment", "employees", "women", "highRisk"].contains($0.key)
            }
            fields["originalId"] = .string(originalId)
            fields["submission"] = .int(0)
            fields["applicationDate"] = .string(CalendarDate.today(in: CalendarDate.chinaTimeZone).description)
            try LocalEdit.upsert(db, self.database.table(.enrolmentApplication), id: id, fields: fields)
            try db.execute(
                sql: "UPDATE enrolment_application SET created_at = ?, state = 'draft' WHERE id = ?",
                arguments: [self.database.clock.iso8601, id])
            if !add.isEmpty || addFile != nil {
                guard let activity = activityId ?? (lines.count == 1 ? lines[0].activityId : nil) else {
                    throw ClientError.invalidInput(
                        RuleViolation(field: "activity", message: "原参保申请有多个保障活动，增员请用 --activity 指定"))
                }
                try self.addPersons(db, id, activityId: activity, file: fileTable, add)
            }
            for idNumber in remove {
                try self.addRemoval(db, id, originalId: originalId, idNumber: idNumber, activityId: activityId)
            }
        }
        return id
    }

    /// The rows of a list file, as the import reads them.
    static func personTable(_ file: URL) throws -> [[String]] {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ClientError.io("无法读取文件 \(file.lastPathComponent)")
        }
        do throws(OfficeFormatError) { return try TableFile.rows(data, fileName: file.lastPathComponent) } catch {
            throw ClientError.invalidInput(RuleViolation(field: "file", message: error.message))
        }
    }

    private func addPersons(
        _ db: Database, _ changeId: String, activityId: String, file: [[String]], _ add: [String]
    ) throws {
        let cover = try coverEnds(db, activityId: activityId)
        let start = CalendarDate.today(in: CalendarDate.chinaTimeZone).adding(days: 1)
        func check(_ table: [[String]], listed: Set<String>) throws -> PersonListRules.Outcome {
            try PersonListRules.check(
                table, listed: listed, coveredUntil: { cover[$0].map { PersonListRules.Cover(until: $0) } },
                expectedStart: start)
        }
        let fromFile = file.isEmpty ? nil : try check(file, listed: [])
        let typed = try check(
            [PersonListRules.header] + (try add.enumerated().map { [String($0 + 1)] + (try Self.personArgument($1)) }),
            listed: Set(fromFile?.accepted.map(\.idNumber) ?? []))
        let failures =
            (fromFile?.failed.map { "文件第\($0.row)行：\($0.reason)" } ?? [])
            + typed.failed.map { "第\($0.row - 1)个增员人员：\($0.reason)" }
        guard failures.isEmpty else {
            throw ClientError.invalidInput(
                RuleViolation(
                    field: "person", message: failures.prefix(5).joined(separator: "；") + "。请改正后重新办理，本次未做任何变更"))
        }
        let rows = (fromFile?.accepted.map { ($0, Optional($0.row)) } ?? []) + typed.accepted.map { ($0, nil) }
        for (p, row) in rows {
            try LocalEdit.insert(
                db, database.table(.enrolmentPerson), id: UUID().uuidString.lowercased(),
                fields: [
                    "applicationId": .string(changeId), "activityId": .string(activityId), "name": .string(p.name),
                    "idNumber": .string(p.idNumber), "mobile": .string(p.mobile),
                    "rowNumber": row.map { .int(Int64($0)) } ?? .null,
                ])
        }
    }

    /// A removal row for each list of the original (and its confirmed changes) holding the person.
    private func addRemoval(
        _ db: Database, _ changeId: String, originalId: String, idNumber: String, activityId: String?
    )
        throws
    {
        let wanted = PersonListEdit.idNumber(idNumber)
        let group = try String.fetchAll(
            db,
            sql: """
                SELECT id FROM enrolment_application
                WHERE id = ? OR (original_id = ? AND state IN ('confirmed', 'archived'))
                """, arguments: [originalId, originalId])
        let persons = database.table(.enrolmentPerson)
        var rows: [(id: String, fields: FieldMap)] = []
        for applicationId in group {
            for row in try persons.all(db, where: "application_id = ?", arguments: [applicationId]) {
                let f = row.fields
                let listed = f["idNumber"]?.stringValue == wanted && (f["removal"]?.intValue ?? 0) == 0
                if listed && (activityId == nil || f["activityId"]?.stringValue == activityId) { rows.append(row) }
            }
        }
        guard !rows.isEmpty else {
            throw ClientError.invalidInput(
                RuleViolation(field: "idNumber", message: "原参保申请的人员清单中没有身份证号码为 \(ResidentID.masked(wanted)) 的人员"))
        }
        for activity in Set(rows.compactMap { $0.fields["activityId"]?.stringValue }).sorted() {
            let row = rows.first { $0.fields["activityId"]?.stringValue == activity }!.fields
            try LocalEdit.insert(
                db, persons, id: UUID().uuidString.lowercased(),
                fields: [
                    "applicationId": .string(changeId), "activityId": .string(activity), "name": row["name"] ?? .null,
                    "idNumber": .string(wanted), "mobile": row["mobile"] ?? .null, "removal": .int(1),
                ])
        }
    }

    /// A change is submitted with someone added or removed, and no one both.
    func requireChangeRows(_ db: Database, _ changeId: String) throws {
        let rows = try database.table(.enrolmentPerson).all(db, where: "application_id = ?", arguments: [changeId])
        func keys(removal: Bool) -> [String] {
            rows.filter { (($0.fields["removal"]?.intValue ?? 0) == 1) == removal }.map {
                ($0.fields["activityId"]?.stringValue ?? "") + "/" + ($0.fields["idNumber"]?.stringValue ?? "")
            }
        }
        do throws(RuleViolation) {
            try EnrolmentChange.validate(added: keys(removal: false), removed: keys(removal: true))
        } catch {
            throw ClientError.invalidInput(error)
        }
    }

    /// The persons an application covers now: its list, plus those its confirmed changes added,
    /// less those they removed.
    func currentList(_ db: Database, applicationId: String) throws -> [FieldMap] {
        let changes = try String.fetchAll(
            db,
            sql: """
                SELECT id FROM enrolment_application WHERE original_id = ? AND state IN ('confirmed', 'archived')
                ORDER BY confirmed_at
                """, arguments: [applicationId])
        var list: [FieldMap] = []
        for id in [applicationId] + changes {
            for row in try database.table(.enrolmentPerson).all(db, where: "application_id = ?", arguments: [id]) {
                let f = row.fields
                guard (f["removal"]?.intValue ?? 0) == 1 else {
                    list.append(f)
                    continue
                }
                list.removeAll { $0["activityId"] == f["activityId"] && $0["idNumber"] == f["idNumber"] }
            }
        }
        return list
    }

    /// The confirmed changes of a letter's application, oldest first, each activity on its own
    /// line with the insured count after it.
    func letterChanges(_ db: Database, originalId: String, lines: [ConfirmationLetter.Line]) throws
        -> [ConfirmationLetter.Change]
    {
        var insured = Dictionary(lines.map { ($0.activityName, $0.insured) }, uniquingKeysWith: +)
        let changes = try database.table(.enrolmentApplication).all(
            db, where: "original_id = ? AND state IN ('confirmed', 'archived')", arguments: [originalId]
        ).sorted { ($0.fields["confirmedAt"]?.stringValue ?? "") < ($1.fields["confirmedAt"]?.stringValue ?? "") }
        var result: [ConfirmationLetter.Change] = []
        for change in changes {
            let confirmed =
                change.fields["confirmedAt"]?.stringValue.flatMap(Self.parseTimestamp)
                .map { CalendarDate.today(in: CalendarDate.chinaTimeZone, now: $0) }
                ?? CalendarDate.today(in: CalendarDate.chinaTimeZone)
            let persons = try database.table(.enrolmentPerson).all(
                db, where: "application_id = ?", arguments: [change.id])
            for fees in JSONText.decode([ActivityFees].self, change.fields["fees"]?.stringValue) ?? [] {
                func names(removal: Bool) -> [String] {
                    persons.filter {
                        $0.fields["activityId"]?.stringValue == fees.activityId
                            && (($0.fields["removal"]?.intValue ?? 0) == 1) == removal
                    }.map {
                        "\($0.fields["name"]?.stringValue ?? "")（\(ResidentID.masked($0.fields["idNumber"]?.stringValue ?? ""))）"
                    }.sorted()
                }
                let added = names(removal: false)
                let removed = names(removal: true)
                insured[fees.activityName, default: 0] += added.count - removed.count
                result.append(
                    .init(
                        confirmed: confirmed, activityName: fees.activityName, added: added, removed: removed,
                        fee: fees.total, insuredAfter: insured[fees.activityName] ?? 0))
            }
        }
        return result
    }
}

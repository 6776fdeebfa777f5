import Foundation
import GRDB
import MutualAidDomain
import OfficeFormats

/// The enrolment template and list import (人员清单维护), offline: every row is checked with
/// the shared rules; accepted rows become list records in one transaction with their outbox
/// entries and the import record; failed rows can be written back for the clerk to fix.
extension MemberClient {
    /// 参保人信息模板-通用.xlsx: 序号, 姓名, 身份证号码, 手机号码, with the ID and mobile
    /// columns formatted as text so spreadsheets keep every digit.
    public static func writeTemplate(to url: URL) throws {
        let data = XLSXWriter.workbook(
            sheetName: "参保人员", header: PersonListRules.header, rows: [],
            textColumns: [2, 3], columnWidths: [8, 14, 24, 16])
        do { try data.write(to: url, options: .atomic) } catch {
            throw ClientError.io("无法写入模板文件 \(url.lastPathComponent)")
        }
    }

    public func importList(_ reference: String, activityId: String, file: URL, failedOut: URL? = nil) throws
        -> ImportResult
    {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ClientError.io("无法读取文件 \(file.lastPathComponent)")
        }
        let table: [[String]]
        do throws(OfficeFormatError) { table = try TableFile.rows(data, fileName: file.lastPathComponent) } catch {
            throw ClientError.invalidInput(RuleViolation(field: "file", message: error.message))
        }
        let importId = UUID().uuidString.lowercased()
        let outcome = try database.write { db -> PersonListRules.Outcome in
            _ = try self.staffAccount(db, roles: [.unit, .agent], what: "人员清单导入")
            let appId = try self.resolveApplication(db, reference)
            try self.requireEditableApplication(db, appId, activityId: activityId)
            let persons = self.database.table(.enrolmentPerson)
            let listed = Set(
                try persons.all(db, where: "application_id = ? AND activity_id = ?", arguments: [appId, activityId])
                    .compactMap { $0.fields["idNumber"]?.stringValue })
            let cover = try self.coverEnds(db, activityId: activityId)
            let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
            let outcome = try PersonListRules.check(
                table, listed: listed, coveredUntil: { cover[$0].map { PersonListRules.Cover(until: $0) } },
                expectedStart: today.adding(days: 1))
            for p in outcome.accepted {
                try LocalEdit.insert(
                    db, persons, id: UUID().uuidString.lowercased(),
                    fields: [
                        "applicationId": .string(appId), "activityId": .string(activityId),
                        "importId": .string(importId),
                        "rowNumber": .int(Int64(p.row)), "name": .string(p.name), "idNumber": .string(p.idNumber),
                        "mobile": .string(p.mobile),
                    ])
            }
            try LocalEdit.insert(
                db, self.database.table(.enrolmentImport), id: importId,
                fields: [
                    "applicationId": .string(appId), "activityId": .string(activityId),
                    "fileName": .string(String(file.lastPathComponent.prefix(200))),
                    "total": .int(Int64(outcome.total)), "succeeded": .int(Int64(outcome.accepted.count)),
                    "failedCount": .int(Int64(outcome.failed.count)),
                    // The synced record keeps the first failures; the file written back has them all.
                    "failed": .string(JSONText.encode(Array(outcome.failed.prefix(50)))),
                    "importedAt": .string(self.database.clock.iso8601),
                ])
            return outcome
        }
        var failedFile: String?
        if let failedOut, !outcome.failed.isEmpty {
            try Self.writeFailedRows(outcome, to: failedOut)
            failedFile = failedOut.path
        }
        return ImportResult(
            id: importId, total: outcome.total, succeeded: outcome.accepted.count, failed: outcome.failed,
            failedFile: failedFile)
    }

    /// The failed rows as the clerk sent them, with the reason in a last column: xlsx when the
    /// name ends in .xlsx, else CSV (UTF-8 with BOM, which Excel and WPS open as Chinese).
    static func writeFailedRows(_ outcome: PersonListRules.Outcome, to url: URL) throws {
        let rows = zip(outcome.failedRows, outcome.failed).map { cells, failure in
            Array((cells + Array(repeating: "", count: max(0, 4 - cells.count))).prefix(4)) + [failure.reason]
        }
        let header = PersonListRules.header + ["失败原因"]
        let data: Data
        if url.pathExtension.lowercased() == "xlsx" {
            data = XLSXWriter.workbook(
                sheetName: "导入失败", header: header, rows: rows, textColumns: [2, 3], columnWidths: [8, 14, 24, 16, 40])
        } else {
            func field(_ s: String) -> String {
                s.contains(where: { ",\"\n\r".contains($0) })
                    ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
            }
            data = Data(
                ("\u{FEFF}" + ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n")
                    + "\r\n").utf8)
        }
        do { try data.write(to: url, options: .atomic) } catch {
            throw ClientError.io("无法写入文件 \(url.lastPathComponent)")
        }
    }

    func requireEditableApplication(_ db: Database, _ id: String, activityId: String? = nil) throws {
        let app = try database.table(.enrolmentApplication).load(db, id: id)!.fields
        let local = try String.fetchOne(
            db, sql: "SELECT state FROM enrolment_application WHERE id = ?", arguments: [id])
        let state = EnrolmentState(rawValue: app["state"]?.stringValue ?? local ?? "draft") ?? .draft
        guard state.isEditable else {
            throw ClientError.invalidInput(
                RuleViolation(field: "state", message: "参保申请当前为「\(state.chineseName)」，人员清单不能再修改"))
        }
        if let activityId {
            let lines = JSONText.decode([EnrolmentLine].self, app["lines"]?.stringValue) ?? []
            guard lines.contains(where: { $0.activityId == activityId }) else {
                throw ClientError.invalidInput(
                    RuleViolation(field: "activity", message: "保障活动 \(activityId.prefix(40)) 不在该参保申请中"))
            }
        }
    }

    /// The last covered day per ID number for one activity, from the enrolments this client holds.
    func coverEnds(_ db: Database, activityId: String) throws -> [String: CalendarDate] {
        var ends: [String: CalendarDate] = [:]
        for r in try database.table(.enrolment).all(db, where: "activity_id = ?", arguments: [activityId]) {
            guard let id = r.fields["idNumber"]?.stringValue,
                let end = r.fields["periodEnd"]?.stringValue.flatMap(CalendarDate.init)
            else { continue }
            ends[id] = max(ends[id] ?? end, end)
        }
        return ends
    }
}

import Foundation
import GRDB
import MutualAidDomain
import OfficeFormats

/// The confirmation letter (确认书): composed from the synced application, so it prints
/// offline; each print is counted on the server through the outbox.
extension MemberClient {
    public func confirmationLetter(_ number: String) throws -> ConfirmationLetter {
        try database.read { db in
            guard LetterNumber.isValid(number),
                let id = try String.fetchOne(
                    db, sql: "SELECT id FROM enrolment_application WHERE letter_number = ?", arguments: [number]),
                let f = try self.database.table(.enrolmentApplication).load(db, id: id)?.fields
            else {
                throw ClientError.invalidInput(
                    RuleViolation(field: "letter", message: "本机找不到确认书 \(number.prefix(30))，请先 member-cli sync"))
            }
            guard let start = f["periodStart"]?.stringValue.flatMap(CalendarDate.init),
                let end = f["periodEnd"]?.stringValue.flatMap(CalendarDate.init)
            else {
                throw ClientError.invalidInput(RuleViolation(field: "letter", message: "该确认书缺少保障期间，请同步后重试"))
            }
            let unitId = f["unitId"]?.stringValue ?? ""
            let unit = try self.database.table(.unit).load(db, id: unitId)?.fields ?? [:]
            let contact =
                try self.database.table(.unitContact).all(db, where: "unit_id = ? AND valid = 1", arguments: [unitId])
                .first?.fields ?? [:]
            let fees = JSONText.decode([ActivityFees].self, f["fees"]?.stringValue) ?? []
            let issued =
                f["confirmedAt"]?.stringValue.flatMap(Self.parseTimestamp)
                .map { CalendarDate.today(in: CalendarDate.chinaTimeZone, now: $0) } ?? start
            let lines = fees.map {
                ConfirmationLetter.Line(
                    activityName: $0.activityName, period: ProtectionPeriod(start: start, end: end),
                    shares: $0.shares, feePerShare: $0.feePerShare, insured: $0.insured)
            }
            return ConfirmationLetter(
                number: number, unitName: f["unitName"]?.stringValue ?? unit["name"]?.stringValue ?? "",
                handler: contact["name"]?.stringValue ?? "", address: unit["address"]?.stringValue ?? "",
                phone: contact["officePhone"]?.stringValue ?? contact["mobile"]?.stringValue ?? "", issued: issued,
                lines: lines, changes: try self.letterChanges(db, originalId: id, lines: lines))
        }
    }

    /// Writes the letter as PDF and records the print (counted once per call, exactly once).
    public func printLetter(_ number: String, to url: URL, online: Bool = true) async throws -> ActionOutcome {
        let letter = try confirmationLetter(number)
        let members = try letterMemberList(number)
        do { try Self.letterPDF(letter, members: members).write(to: url, options: .atomic) } catch {
            throw ClientError.io("无法写入文件 \(url.lastPathComponent)")
        }
        return try await perform(.printLetter, on: number, online: online)
    }

    static func letterPDF(_ letter: ConfirmationLetter, members: LetterMemberList? = nil) -> Data {
        var pdf = PDFComposer(documentTitle: ConfirmationLetter.title)
        pdf.pageMark = LetterMemberList.pageMark(letter.number)
        pdf.title(ConfirmationLetter.title)
        pdf.paragraph("确认书编号：\(letter.number)")
        pdf.paragraph("参保单位：\(letter.unitName)")
        pdf.paragraph("经办人：\(letter.handler)    联系电话：\(letter.phone)")
        pdf.paragraph("单位地址：\(letter.address)")
        pdf.spacer(6)
        pdf.table(
            header: ConfirmationLetter.tableHeader,
            rows: letter.rows + [
                ["合计", "", "", "", String(letter.lines.reduce(0) { $0 + $1.insured }), letter.total.description]
            ],
            widths: [125, 175, 40, 55, 40, 50], size: 9)
        if !letter.changes.isEmpty {
            // 增减员 confirmed since the letter was issued: who, when, and the difference paid.
            pdf.paragraph("人员变更（增减员）：")
            pdf.table(
                header: ConfirmationLetter.changeHeader, rows: letter.changeRows, widths: [60, 110, 130, 90, 50, 45],
                size: 8)
        }
        pdf.paragraph("会费合计：\(letter.total) 元")
        pdf.spacer(6)
        for notice in ConfirmationLetter.notices { pdf.paragraph(notice, size: 10) }
        pdf.spacer(12)
        pdf.paragraph("中国职工保险互助会陕西省办事处（盖章）")
        pdf.paragraph("出具日期：\(letter.issued.year)年\(letter.issued.month)月\(letter.issued.day)日")
        if let members { appendMemberList(members, to: &pdf) }
        return pdf.render()
    }

    /// Fee income per agency (业务看板), from the applications this client holds.
    public func dashboard(year: Int) throws -> [FeeDashboard.Row] {
        try database.read { db in
            let incomes = try self.database.table(.enrolmentApplication).all(
                db, where: "state IN ('confirmed', 'archived')"
            ).compactMap { r -> FeeDashboard.Income? in
                let f = r.fields
                guard let confirmed = f["confirmedAt"]?.stringValue.flatMap(Self.parseTimestamp) else { return nil }
                let fees = JSONText.decode([ActivityFees].self, f["fees"]?.stringValue) ?? []
                return FeeDashboard.Income(
                    agencyId: f["agencyId"]?.stringValue ?? "", agencyName: f["agencyName"]?.stringValue ?? "",
                    confirmed: CalendarDate.today(in: CalendarDate.chinaTimeZone, now: confirmed),
                    amount: fees.reduce(.zero) { $0 + $1.payable })
            }
            return FeeDashboard.rows(incomes, year: year)
        }
    }
}

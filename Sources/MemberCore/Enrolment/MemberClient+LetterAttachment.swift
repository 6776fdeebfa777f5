import Foundation
import GRDB
import MutualAidDomain
import OfficeFormats

/// 《会员名单》 attached to the confirmation letter: the insured persons of the application,
/// from the replica like the letter itself, so it prints offline too.
extension MemberClient {
    public func letterMemberList(_ number: String) throws -> LetterMemberList {
        try database.read { db in
            guard
                let id = try String.fetchOne(
                    db, sql: "SELECT id FROM enrolment_application WHERE letter_number = ?", arguments: [number]),
                let f = try self.database.table(.enrolmentApplication).load(db, id: id)?.fields
            else {
                throw ClientError.invalidInput(
                    RuleViolation(field: "letter", message: "本机找不到确认书 \(number.prefix(30))，请先 member-cli sync"))
            }
            let fees = JSONText.decode([ActivityFees].self, f["fees"]?.stringValue) ?? []
            let order = Dictionary(fees.enumerated().map { ($1.activityId, $0) }, uniquingKeysWith: { a, _ in a })
            // The list as it stands after the confirmed changes (增减员); persons added by hand last.
            let persons = try self.currentList(db, applicationId: id).sorted {
                (order[$0["activityId"]?.stringValue ?? ""] ?? Int.max, $0["rowNumber"]?.intValue ?? Int.max)
                    < (order[$1["activityId"]?.stringValue ?? ""] ?? Int.max, $1["rowNumber"]?.intValue ?? Int.max)
            }
            return LetterMemberList(
                letterNumber: number, unitName: f["unitName"]?.stringValue ?? "",
                members: persons.map { p in
                    let activity = fees.first { $0.activityId == p["activityId"]?.stringValue }
                    return LetterMemberList.Member(
                        name: p["name"]?.stringValue ?? "", idNumber: p["idNumber"]?.stringValue ?? "",
                        activityName: activity?.activityName ?? p["activityId"]?.stringValue ?? "",
                        shares: activity?.shares ?? 1)
                })
        }
    }

    /// The list on pages of its own after the letter, the letter number in every footer.
    static func appendMemberList(_ list: LetterMemberList, to pdf: inout PDFComposer) {
        pdf.pageBreak()
        pdf.title(LetterMemberList.title)
        pdf.paragraph("确认书号码：\(list.letterNumber)    参保单位：\(list.unitName)    共 \(list.members.count) 人")
        pdf.table(header: LetterMemberList.header, rows: list.rows, widths: [35, 70, 140, 200, 45], size: 9)
        pdf.paragraph("参保单位盖章：", size: 10)
    }
}

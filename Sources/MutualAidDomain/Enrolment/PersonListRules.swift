import Foundation

/// The enrolment list (人员清单) of one activity: the template's columns and the rules every
/// imported row must pass (DOMAIN §4, §9). Pure, so the clerk's client checks offline exactly
/// what the server checks again.
public enum PersonListRules {
    /// The template's header, in order (参保人信息模板-通用.xlsx).
    public static let header = ["序号", "姓名", "身份证号码", "手机号码"]
    public static let templateFileName = "参保人信息模板-通用.xlsx"

    public struct Person: Hashable, Sendable {
        /// The row as the spreadsheet numbers it (the header is row 1).
        public var row: Int
        public var name: String
        public var idNumber: String
        public var mobile: String
        public init(row: Int, name: String, idNumber: String, mobile: String) {
            self.row = row
            self.name = name
            self.idNumber = idNumber
            self.mobile = mobile
        }
    }

    public struct Failure: Codable, Hashable, Sendable {
        public var row: Int
        public var reason: String
        public init(row: Int, reason: String) {
            self.row = row
            self.reason = reason
        }
    }

    public struct Outcome: Sendable {
        public var total: Int
        public var accepted: [Person]
        public var failed: [Failure]
        /// The failed rows as read, for writing back to the clerk.
        public var failedRows: [[String]]
    }

    /// A person's running cover of the same activity: its last day, and whether it is this
    /// unit's own (another unit's cover is named as such, never with its dates or unit).
    public struct Cover: Sendable, Equatable {
        public var until: CalendarDate
        public var ownUnit: Bool
        public init(until: CalendarDate, ownUnit: Bool = true) {
            self.until = until
            self.ownUnit = ownUnit
        }
    }

    /// Where a person is already covered by the same activity.
    public typealias CoverLookup = (_ idNumber: String) -> Cover?

    /// Checks every row. `listed` holds ID numbers already in this activity's list;
    /// `expectedStart` is the earliest day the new cover can start.
    public static func check(
        _ table: [[String]], listed: Set<String>, coveredUntil: CoverLookup,
        expectedStart: CalendarDate
    ) throws(RuleViolation) -> Outcome {
        guard let headerIndex = table.prefix(5).firstIndex(where: { row in row.contains { clean($0) == "姓名" } }) else {
            throw missingHeader
        }
        let head = table[headerIndex].map(clean)
        guard let nameColumn = head.firstIndex(of: "姓名"),
            let idColumn = head.firstIndex(where: { $0 == "身份证号码" || $0 == "身份证号" }),
            let mobileColumn = head.firstIndex(where: { $0 == "手机号码" || $0 == "手机号" })
        else {
            throw missingHeader
        }
        var outcome = Outcome(total: 0, accepted: [], failed: [], failedRows: [])
        var seen: [String: Int] = [:]
        for (offset, cells) in table.enumerated().dropFirst(headerIndex + 1) {
            if cells.allSatisfy({ clean($0).isEmpty }) { continue }
            let rowNumber = offset + 1
            func cell(_ i: Int) -> String { i < cells.count ? clean(cells[i]) : "" }
            let person = Person(
                row: rowNumber, name: cell(nameColumn), idNumber: cell(idColumn).uppercased(),
                mobile: cell(mobileColumn))
            outcome.total += 1
            if let reason = problem(
                person, firstSeen: seen[person.idNumber], listed: listed,
                coveredUntil: coveredUntil, expectedStart: expectedStart)
            {
                outcome.failed.append(Failure(row: rowNumber, reason: reason))
                outcome.failedRows.append(cells)
            } else {
                seen[person.idNumber] = rowNumber
                outcome.accepted.append(person)
            }
        }
        return outcome
    }

    /// The first rule a row breaks, or nil.
    public static func problem(
        _ p: Person, firstSeen: Int?, listed: Set<String>, coveredUntil: CoverLookup,
        expectedStart: CalendarDate
    ) -> String? {
        if p.name.isEmpty { return "姓名不能为空" }
        if !TextLimit.fits(p.name, characters: 50) { return "姓名不能超过50个字" }
        if p.idNumber.isEmpty { return "身份证号码不能为空" }
        if p.idNumber.contains("E+") || p.idNumber.contains(".") {
            return "身份证号码被表格软件存成了数字，请把该列设为文本格式后重新填写"
        }
        do throws(RuleViolation) { try ResidentID.validate(p.idNumber) } catch { return error.message }
        if p.mobile.isEmpty { return "手机号码不能为空" }
        do throws(RuleViolation) { try ContactRules.validateMobile(p.mobile) } catch { return error.message }
        if let firstSeen { return "身份证号码与第\(firstSeen)行重复" }
        if listed.contains(p.idNumber) { return "该人员已在本次参保名单中" }
        // Cover still running when the new one starts overlaps it, unless it ends within the
        // renewal window (续保): then the new cover continues it.
        if let cover = coveredUntil(p.idNumber),
            cover.until >= expectedStart.adding(days: ProtectionPeriod.renewalWindowDays)
        {
            return cover.ownUnit
                ? "该人员已参加此保障活动，保障期至\(cover.until)，与本次参保期间重叠"
                : "该人员已通过其他单位参加此保障活动，保障期与本次参保期间重叠，请与本人核实后再办理"
        }
        return nil
    }

    static let missingHeader = RuleViolation(
        field: "file", message: "找不到表头（序号、姓名、身份证号码、手机号码），请使用 member-cli enrolment template 生成的模板")

    /// Spreadsheet cells arrive with stray spaces, full-width spaces and tabs.
    static func clean(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespacesAndNewlines.union(.init(charactersIn: "\u{3000}\u{FEFF}")))
    }
}

extension ProtectionPeriod {
    public static let renewalWindowDays = 15

    /// Renewal (续保): the new cover starts within 15 days of the old one's expiry — before it
    /// (renewed early) or after it — so no new observation period applies.
    public static func isRenewal(previousEnd: CalendarDate, newStart: CalendarDate) -> Bool {
        let gap = previousEnd.days(until: newStart) - 1
        return (-renewalWindowDays...renewalWindowDays).contains(gap)
    }
}

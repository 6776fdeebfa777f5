import Foundation

/// The confirmation letter (参保确认书, DOMAIN §4): the unit's proof of cover. Built from the
/// synced application so a clerk can print it offline.
public struct ConfirmationLetter: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var activityName: String
        public var period: ProtectionPeriod
        public var shares: Int
        public var feePerShare: Money
        public var insured: Int
        public var amount: Money { feePerShare.times(shares * insured) }
        public init(activityName: String, period: ProtectionPeriod, shares: Int, feePerShare: Money, insured: Int) {
            self.activityName = activityName
            self.period = period
            self.shares = shares
            self.feePerShare = feePerShare
            self.insured = insured
        }
    }

    public var number: String
    public var unitName: String
    public var handler: String
    public var address: String
    public var phone: String
    public var issued: CalendarDate
    public var lines: [Line]
    /// The confirmed changes (增减员) since the letter was issued, oldest first.
    public var changes: [Change]

    /// One confirmed change of one activity: who was added or removed (name and masked ID
    /// number), the fee difference paid, and the insured count after it.
    public struct Change: Hashable, Sendable {
        public var confirmed: CalendarDate
        public var activityName: String
        public var added: [String]
        public var removed: [String]
        public var fee: Money
        public var insuredAfter: Int
        public init(
            confirmed: CalendarDate, activityName: String, added: [String], removed: [String], fee: Money,
            insuredAfter: Int
        ) {
            self.confirmed = confirmed
            self.activityName = activityName
            self.added = added
            self.removed = removed
            self.fee = fee
            self.insuredAfter = insuredAfter
        }
    }

    public init(
        number: String, unitName: String, handler: String, address: String, phone: String,
        issued: CalendarDate, lines: [Line], changes: [Change] = []
    ) {
        self.number = number
        self.unitName = unitName
        self.handler = handler
        self.address = address
        self.phone = phone
        self.issued = issued
        self.lines = lines
        self.changes = changes
    }

    /// Everything paid under the letter: the lines and the fee differences of the changes.
    public var total: Money { lines.reduce(.zero) { $0 + $1.amount } + changes.reduce(.zero) { $0 + $1.fee } }

    public static let changeHeader = ["确认日期", "保障活动", "增员", "减员", "补交会费（元）", "变更后人数"]

    public var changeRows: [[String]] {
        changes.map {
            [
                $0.confirmed.description, $0.activityName, $0.added.joined(separator: "、"),
                $0.removed.joined(separator: "、"), $0.fee.description, String($0.insuredAfter),
            ]
        }
    }

    public static let title = "职工互助保障参保确认书"
    public static let tableHeader = ["保障活动", "保障期间", "每人份数", "会费标准（元/份）", "参保人数", "金额（元）"]

    public var rows: [[String]] {
        lines.map {
            [
                $0.activityName, $0.period.chineseText, String($0.shares), $0.feePerShare.description,
                String($0.insured), $0.amount.description,
            ]
        }
    }

    /// The fixed notices every letter carries.
    public static let notices = [
        "一、保障期满前后15日内续保的会员，不再设观察期。",
        "二、参保单位承诺所报参保人员均为本单位在职职工，如有不实，由参保单位承担相应责任。",
        "三、参保会员授权互助会查询其医疗保险就诊及结算信息，用于申领审核。",
        "四、本确认书是参保单位参加职工互助保障活动的凭证，请妥善保管。",
    ]
}

/// Confirmation letter numbers: "G" + office code + yyyyMMdd + an 8-digit sequence.
public enum LetterNumber {
    public static func isValid(_ text: String) -> Bool {
        text.count == 21 && text.first == "G" && text.dropFirst().allSatisfy(\.isASCIIDigit)
    }
}

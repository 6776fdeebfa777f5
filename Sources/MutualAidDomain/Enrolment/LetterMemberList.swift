/// 《会员名单》, the list of insured persons attached to a confirmation letter: the letter's
/// notices refer to it, and the unit vouches with its stamp that each listed person is its own
/// employee.
public struct LetterMemberList: Hashable, Sendable {
    /// One insured person under one activity of the application.
    public struct Member: Hashable, Sendable {
        public var name: String
        public var idNumber: String
        public var activityName: String
        public var shares: Int
        public init(name: String, idNumber: String, activityName: String, shares: Int) {
            self.name = name
            self.idNumber = idNumber
            self.activityName = activityName
            self.shares = shares
        }
    }

    public var letterNumber: String
    public var unitName: String
    /// In the order of the letter's activities, then of the imported lists.
    public var members: [Member]

    public init(letterNumber: String, unitName: String, members: [Member]) {
        self.letterNumber = letterNumber
        self.unitName = unitName
        self.members = members
    }

    public static let title = "会员名单"
    public static let header = ["序号", "姓名", "身份证号码", "保障活动", "每人份数"]

    /// ID numbers are printed whole: a masked number cannot tell two namesakes apart, and the
    /// list is what the unit signs for. Only accounts whose replica holds these persons (the
    /// unit itself and the staff above it) can print it.
    public var rows: [[String]] {
        members.enumerated().map { index, m in
            [String(index + 1), m.name, m.idNumber, m.activityName, "\(m.shares)份"]
        }
    }

    /// The footer of every page of the letter and of its list.
    public static func pageMark(_ letterNumber: String) -> String { "确认书号码：\(letterNumber)" }
}

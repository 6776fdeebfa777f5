/// A disability item and its grade (伤残名称 / 伤残等级) with the payout ratio it carries:
/// catalogue data. The ratio is what the disability standard's amount is multiplied by.
public struct DisabilityGrade: Codable, Hashable, Sendable {
    public var itemName: String
    /// 1 (most severe) … 10.
    public var grade: Int
    /// Payout ratio in basis points (10000 = 100.00%).
    public var ratioBasisPoints: Int

    public init(itemName: String, grade: Int, ratioBasisPoints: Int) {
        self.itemName = itemName
        self.grade = grade
        self.ratioBasisPoints = ratioBasisPoints
    }

    /// The usual ten-grade table: grade 1 pays 100%, each grade below 10 points less, grade 10 pays 10%.
    public static let standardTable: [DisabilityGrade] = (1...10).map { grade in
        DisabilityGrade(
            itemName: "\(chineseNumerals[grade - 1])级伤残", grade: grade,
            ratioBasisPoints: (11 - grade) * 1_000)
    }

    /// The standard table's row for a grade, or nil outside 1…10.
    public static func standard(grade: Int) -> DisabilityGrade? {
        standardTable.first { $0.grade == grade }
    }

    private static let chineseNumerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
}

import Foundation

/// One activity of an application as the unit entered it (保障活动录入).
public struct EnrolmentLine: Codable, Hashable, Sendable {
    public var activityId: String
    public var shares: Int
    public init(activityId: String, shares: Int) {
        self.activityId = activityId
        self.shares = shares
    }
}

/// The summary step (参保信息录入): per activity insured count, enrolment rate and fee total,
/// and the automatic checks (自核) the first review starts from.
public struct ActivitySummary: Codable, Hashable, Sendable {
    public var activityId: String
    public var activityName: String
    public var subtype: String
    public var feePerShare: Money
    public var shares: Int
    public var insured: Int
    /// 参保率 in basis points of the in-service employees (10000 = 100%).
    public var rateBp: Int
    public var highRisk: Int
    public var feeTotal: Money

    public var rateText: String { "\(rateBp / 100).\(String(format: "%02d", rateBp % 100))%" }
}

public struct AutoCheck: Codable, Hashable, Sendable {
    public var activityId: String
    public var activityName: String
    public var passed: Bool
    public var reason: String
}

public enum EnrolmentSummaries {
    public static let maxShares = 10

    /// Counts and lines as entered, before any list is imported.
    public static func validateEntry(
        lines: [EnrolmentLine], employees: Int, women: Int, highRisk: Int,
        catalogue: [String: ProtectionActivity]
    ) throws(RuleViolation) {
        guard !lines.isEmpty else { throw RuleViolation(field: "activity", message: "请至少选择一个保障活动") }
        guard Set(lines.map(\.activityId)).count == lines.count else {
            throw RuleViolation(field: "activity", message: "同一保障活动不能重复选择")
        }
        for line in lines {
            guard catalogue[line.activityId] != nil else {
                throw RuleViolation(
                    field: "activity", message: "保障活动 \(line.activityId.prefix(40)) 不存在，请用 member-cli catalogue 查看")
            }
            guard (1...maxShares).contains(line.shares) else {
                throw RuleViolation(field: "shares", message: "每人份数应为 1 到 \(maxShares)")
            }
        }
        guard employees > 0, employees <= 1_000_000 else {
            throw RuleViolation(field: "employees", message: "在职职工人数应大于 0")
        }
        guard (0...employees).contains(women) else { throw RuleViolation(field: "women", message: "在职女职工人数不能超过在职职工人数") }
        guard (0...employees).contains(highRisk) else {
            throw RuleViolation(field: "highRisk", message: "高危职业人数不能超过在职职工人数")
        }
    }

    public static func summarise(
        lines: [EnrolmentLine], insured: [String: Int], employees: Int, highRisk: Int,
        catalogue: [String: ProtectionActivity]
    ) -> [ActivitySummary] {
        lines.compactMap { line in
            guard let activity = catalogue[line.activityId] else { return nil }
            let count = insured[line.activityId] ?? 0
            return ActivitySummary(
                activityId: line.activityId, activityName: activity.name, subtype: activity.subtype,
                feePerShare: activity.fee, shares: line.shares, insured: count,
                rateBp: employees > 0 ? count * 10_000 / employees : 0, highRisk: min(highRisk, count),
                feeTotal: activity.fee.times(line.shares * count))
        }
    }

    /// 自核: every activity needs at least one person, no more than the employees, and the
    /// catalogue's minimum enrolment rate.
    public static func autoChecks(
        _ summaries: [ActivitySummary], employees: Int,
        catalogue: [String: ProtectionActivity]
    ) -> [AutoCheck] {
        summaries.map { s in
            let minimum = catalogue[s.activityId]?.minEnrolmentRatePercent ?? 0
            let reason: String
            let passed: Bool
            if s.insured == 0 {
                (passed, reason) = (false, "该保障活动下没有参保人员，请导入人员清单")
            } else if s.insured > employees {
                (passed, reason) = (false, "参保人数 \(s.insured) 超过在职职工人数 \(employees)")
            } else if s.rateBp < minimum * 100 {
                (passed, reason) = (false, "该保障活动下人员参保比例不符合最低参保标准（参保率 \(s.rateText)，最低 \(minimum)%）")
            } else {
                (passed, reason) = (true, "参保率 \(s.rateText)，符合最低参保标准 \(minimum)%")
            }
            return AutoCheck(activityId: s.activityId, activityName: s.activityName, passed: passed, reason: reason)
        }
    }
}

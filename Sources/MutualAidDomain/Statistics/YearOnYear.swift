/// Year-on-year change (同比) as the dashboards show it, in exact integer arithmetic.
public enum YearOnYear {
    /// Change from `before` to `now` in basis points (1/100 of a percent), truncated;
    /// nil when there was nothing before, since no percentage describes growth from zero.
    public static func basisPoints(now: Int64, before: Int64) -> Int? {
        before > 0 ? Int((now - before) * 10_000 / before) : nil
    }

    /// "+12.50%", "-100.00%", or "—" when there is no base.
    public static func text(_ basisPoints: Int?) -> String {
        guard let basisPoints else { return "—" }
        let sign = basisPoints < 0 ? "-" : "+"
        let m = abs(basisPoints)
        let hundredths = m % 100
        return "\(sign)\(m / 100).\(hundredths < 10 ? "0" : "")\(hundredths)%"
    }
}

/// Exact multiplication of money by counts and ratios, for the claim calculation (DOMAIN §7).
/// Ratios are basis points (7000 = 70.00%); every product is computed in Int64 with
/// overflow checks and rounded once, half-up, so no binary floating point is ever involved.
extension Money {
    /// This amount × `basisPoints` / 10000 × `times`, rounded half-up to cents
    /// (away from zero for negative amounts): 112.86 × 7000 → 79.002 → 79.00.
    /// Rounding happens once, after the multiplication by `times` (the shares).
    public func applying(basisPoints: Int, times: Int = 1) throws(RuleViolation) -> Money {
        let scaled = try Money.checkedProduct(cents, Int64(basisPoints), Int64(times))
        let whole = scaled / 10_000
        let rest = scaled % 10_000
        // Half-up on the magnitude: a remainder of 5000 (exactly half a cent) rounds away from zero.
        if rest.magnitude >= 5_000 { return Money(cents: whole + (scaled < 0 ? -1 : 1)) }
        return Money(cents: whole)
    }

    /// This amount × `count`, exact.
    public func multiplied(by count: Int) throws(RuleViolation) -> Money {
        Money(cents: try Money.checkedProduct(cents, Int64(count), 1))
    }

    /// Sum with an overflow check, for adding many sheets or lines.
    public func adding(_ other: Money) throws(RuleViolation) -> Money {
        let (sum, overflow) = cents.addingReportingOverflow(other.cents)
        guard !overflow else { throw Money.outOfRange }
        return Money(cents: sum)
    }

    static let outOfRange = RuleViolation(field: "amount", message: "金额超出可计算范围，请核对录入的金额")

    static func checkedProduct(_ a: Int64, _ b: Int64, _ c: Int64) throws(RuleViolation) -> Int64 {
        let (ab, o1) = a.multipliedReportingOverflow(by: b)
        let (abc, o2) = ab.multipliedReportingOverflow(by: c)
        guard !o1, !o2 else { throw outOfRange }
        return abc
    }
}

/// Ratios as the benefit table and the CLI show them: basis points ↔ percent with two decimals.
public enum PercentText {
    /// 7000 → "70.00", 4050 → "40.50", 0 → "0.00".
    public static func format(basisPoints: Int) -> String {
        let sign = basisPoints < 0 ? "-" : ""
        let m = basisPoints.magnitude
        let f = m % 100
        return "\(sign)\(m / 100).\(f < 10 ? "0" : "")\(f)"
    }

    /// "70", "70.5", "70.00" → basis points; at most two decimals, 0…100 %. Anything else is nil.
    public static func parse(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, (1...3).contains(whole.count),
            whole.allSatisfy(\.isASCIIDigit)
        else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= 2, fraction.allSatisfy(\.isASCIIDigit),
            parts.count == 1 || !fraction.isEmpty
        else { return nil }
        while fraction.count < 2 { fraction += "0" }
        guard let w = Int(whole), let f = Int(fraction) else { return nil }
        let value = w * 100 + f
        return value <= 10_000 ? value : nil
    }
}

import Foundation

/// The table `scripts/bench` prints, and its JSON form.
enum Report {
    struct JSONFigure: Encodable {
        var value: Double, goal: Double, unit: String, baseline: Double, baselineUnit: String, met: Bool
        init(_ f: Figure) {
            value = f.value
            goal = f.goal
            unit = f.unit
            baseline = f.baseline
            baselineUnit = f.baselineUnit
            met = f.meetsGoal
        }
    }

    static func print(_ figures: [String: Figure], sizes: Sizes) {
        Swift.print("| figure | goal | value | measured | baseline | met | note |")
        Swift.print("|---|---|---|---|---|---|---|")
        for key in figures.keys.sorted(by: order) {
            let f = figures[key]!
            let goal = "\(f.atMost ? "≤" : "≥") \(number(f.goal)) \(f.unit)"
            let baseline = f.baselineUnit.isEmpty ? "—" : "\(number(f.baseline)) \(f.baselineUnit)"
            let met = f.reportedOnly ? "(\(f.meetsGoal ? "yes" : "no"), reported)" : f.meetsGoal ? "yes" : "no"
            Swift.print(
                "| \(key) | \(goal) | \(number(f.value)) | \(f.absolute.isEmpty ? "—" : f.absolute) | \(baseline) | \(met) | \(f.note) |"
            )
        }
        let judged = figures.values.filter { !$0.reportedOnly }
        Swift.print("goals met: \(judged.filter(\.meetsGoal).count) of \(judged.count)")
    }

    /// Three significant figures at most, thousands grouped: "0.071", "12,700", "1.28".
    static func number(_ x: Double) -> String {
        if x == 0 { return "0" }
        if abs(x) >= 1000 {
            return Int(x.rounded()).formatted(.number.grouping(.automatic).locale(.init(identifier: "en")))
        }
        if abs(x) >= 100 { return String(format: "%.0f", x) }
        if abs(x) >= 10 { return String(format: "%.1f", x) }
        if abs(x) >= 1 { return String(format: "%.2f", x) }
        return String(format: "%.3f", x)
    }

    /// P1 before P1-api before P2…, each store's figures together.
    static func order(_ a: String, _ b: String) -> Bool { a.compare(b, options: .numeric) == .orderedAscending }
}

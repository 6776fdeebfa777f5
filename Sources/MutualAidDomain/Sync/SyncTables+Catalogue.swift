/// Catalogue tables beyond activities and standards.
extension SyncTable {
    /// The disability grade table (伤残等级表): the payout ratio of each grade, catalogue data
    /// every client reads. A claim's disability ratio comes from here unless staff enter an
    /// explicit one with a reason (see `CostEntry.disabilityRatio`).
    public static let disabilityGrade = SyncTable(
        name: "disability_grade",
        fields: [
            SyncField("grade", .integer, .server),
            SyncField("name", .text(maxLength: 50), .server),
            SyncField("ratioBp", .integer, .server),
        ], audience: .everyone)

    static let catalogueTables: [SyncTable] = [.disabilityGrade]
}

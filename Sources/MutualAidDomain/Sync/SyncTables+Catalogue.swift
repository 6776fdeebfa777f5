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

    /// A later rule of a claim standard (活动管理): from `effectiveFrom` on, its rule fields
    /// replace the standard's for claims whose incident or admission falls on or after that
    /// day. Earlier claims keep the rule they were filed under. See `StandardVersions`.
    public static let claimStandardVersion = SyncTable(
        name: "claim_standard_version",
        fields: [
            SyncField("standardId", .text(maxLength: 64), .server),
            SyncField("effectiveFrom", .text(maxLength: 10), .server),
            SyncField("ratioBp", .integer, .server),
            SyncField("amount", .money, .server),
            SyncField("cap", .money, .server),
            SyncField("waitingDays", .integer, .server),
            SyncField("observationDays", .integer, .server),
            SyncField("consolation", .money, .server),
            SyncField("createdBy", .text(maxLength: 50), .server),
        ], audience: .everyone)

    static let catalogueTables: [SyncTable] = [.disabilityGrade, .claimStandardVersion]
}

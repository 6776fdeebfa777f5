/// Byte budgets of the feed (docs/sync-protocol.md, "Limits"): an entry is at most
/// `maxEntryBytes` of fields and clocks, a pull page stops before `maxPageBytes` (but always
/// carries at least one entry).
enum FeedLimits {
    static let maxEntryBytes = 256 * 1024
    static let maxPageBytes = 4 * 1024 * 1024

    /// A record whose feed entry would pass the budget: a server fault (client fields are
    /// bounded far below it), so its transaction is rolled back.
    struct EntryTooLarge: Error, CustomStringConvertible {
        let table: String
        var description: String { "feed entry of \(table) exceeds \(FeedLimits.maxEntryBytes) bytes" }
    }
}

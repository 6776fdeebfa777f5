import MutualAidDomain
import SyncStorage

/// The statement that reads one page of the feed a scope may see. Each way an entry can be
/// visible is its own branch, read in feed order from an index that holds it in that order
/// and cut at the page size; the page is the first entries of their union. Written as one
/// `OR`, the planner read every remaining visible entry and sorted them all for each page, so
/// a first pull took time in the square of the feed's size.
struct FeedQuery {
    var sql: String
    var arguments: SQLArguments

    /// `limit` entries after `cursor` (the caller asks one more to learn whether more follow);
    /// `content` names the fields and clocks columns to read.
    init(scope: Scope, content: String, after cursor: Int64, limit: Int) {
        var branches: [(String, SQLArguments)] = [
            ("SELECT seq FROM change_feed WHERE is_public = 1 AND seq > ?", [cursor])
        ]
        switch scope {
        case .member(let memberId):
            branches.append(("SELECT seq FROM change_feed WHERE member_id = ? AND seq > ?", [memberId, cursor]))
        case .subtree(let path):
            if let filed = scope.filedSubtreePath {
                branches.append(("SELECT seq FROM feed_scope WHERE scope = ? AND seq > ?", [filed, cursor]))
            } else {
                // A path no organisation has (it does not end in "/"): the slow range, kept exact.
                branches.append(
                    (
                        "SELECT seq FROM change_feed WHERE member_only = 0 AND org_path >= ? AND org_path < ? AND seq > ?",
                        [path, path + "\u{10FFFF}", cursor]
                    ))
            }
            branches.append(
                ("SELECT seq FROM change_feed WHERE org_only = 1 AND org_path = ? AND seq > ?", [path, cursor]))
        }
        var arguments: SQLArguments = []
        let union = branches.enumerated().map { i, branch in
            arguments = arguments + branch.1 + [limit]
            return "SELECT seq FROM (\(branch.0) ORDER BY seq LIMIT ?) AS b\(i)"
        }
        sql = """
            SELECT seq, tbl, record_id, op, \(content) FROM change_feed
            WHERE seq IN (\(union.joined(separator: " UNION ALL "))) ORDER BY seq LIMIT ?
            """
        self.arguments = arguments + [limit]
    }
}

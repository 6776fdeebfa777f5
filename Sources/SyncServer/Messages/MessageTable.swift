import MutualAidDomain
import SyncStorage

/// Messages as pushed: only their recipient reaches them (`ServerTable.mayWrite`), and the
/// one thing a recipient changes is `read`; the rest is the server's (field ownership).
struct MessageTable: RowBackedTable {
    let rows = RowTable(spec: .message)

    func checkWrite(_ db: any SQLConnection, _ stored: StoredRecord, change: Change, by principal: Principal) throws
        -> RuleViolation?
    {
        if let read = change.fields["read"], read != .int(0), read != .int(1) {
            return RuleViolation(field: "read", message: "已读标记只能是 0 或 1")
        }
        return nil
    }
}

import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// Moving an organisation node (a county to another city, a unit to another agency): the node
/// and everything below it take the new path, and so does every record filed under them. The
/// feed tells both sides: staff of the old subtree get a removal of each record they could see
/// (they may no longer see it), then every record is fed again under its new path, so the new
/// subtree pulls it. Ancestors of both (the office) see the removal and then the record, in that
/// order, and keep it. All in the caller's transaction: a crash leaves the tree as it was.
enum OrgMove {
    static func perform(_ db: any SQLConnection, node: OrgNode, to parent: OrgNode, now: Date) throws -> RuleViolation?
    {
        let segment = node.path.split(separator: "/").last.map(String.init) ?? node.id
        let newPath = parent.path + segment + "/"
        guard try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM org WHERE path = ?", arguments: [newPath]) == 0
        else {
            return RuleViolation(field: "parent", message: "新的上级机构下已有同一编号的机构，请联系管理员")
        }
        let oldPath = node.path
        func moved(_ path: String) -> String { newPath + path.dropFirst(oldPath.count) }
        let end = oldPath + "\u{10FFFF}"

        for row in try db.fetchAll(
            sql: "SELECT id, path FROM org WHERE path >= ? AND path < ?", arguments: [oldPath, end])
        {
            let id: String = try row["id"]
            try db.execute(sql: "UPDATE org SET path = ? WHERE id = ?", arguments: [moved(try row["path"]), id])
        }
        try db.execute(sql: "UPDATE org SET parent_id = ? WHERE id = ?", arguments: [parent.id, node.id])

        var refeed: [(any ServerTable, String)] = []
        // Profiles live in `member`, placed by the member's unit through `org`: they follow by themselves.
        for table in ServerTables.all where table.spec.audience != .everyone && table.storageTable == table.spec.name {
            let ids = try db.fetchValues(
                String.self, sql: "SELECT id FROM \(table.spec.name) WHERE org_path >= ? AND org_path < ?",
                arguments: [oldPath, end])
            for id in ids {
                guard let stored = try table.load(db, recordId: id) else { continue }
                if table.spec.audience != .writeOnly, table.spec.audience != .addressed, !table.spec.memberOnly,
                    !stored.isPrivate
                {
                    try evict(table.spec.name, recordId: id, orgPath: stored.orgPath, now: now, db)
                }
                try db.execute(
                    sql: "UPDATE \(table.spec.name) SET org_path = ? WHERE id = ?",
                    arguments: [moved(stored.orgPath), id])
                if table.spec.name == SyncTable.claim.name {
                    try reassign(table, id: id, stored, newPath: moved(stored.orgPath), now: now, db)
                }
                refeed.append((table, id))
            }
        }
        // After every removal, so a viewer of both subtrees ends with each record present.
        for (table, id) in refeed { try SQLCaseStore.appendFeed(table, recordId: id, now: now, db) }
        return nil
    }

    /// An open case accepted by an agency its unit has left goes to the unit's new agency, and
    /// loses a holder there: nobody at the old agency can see it any more.
    private static func reassign(
        _ table: any ServerTable, id: String, _ stored: StoredRecord, newPath: String, now: Date,
        _ db: any SQLConnection
    ) throws {
        var record = stored.record
        guard let by = record.fields["acceptedBy"]?.stringValue,
            let state = record.fields["state"]?.stringValue.flatMap(CaseState.init(rawValue:)), !state.isTerminal,
            !newPath.split(separator: "/").contains(Substring(by))
        else { return }
        try ServerWrites.apply(
            [
                "acceptedBy": .string(ClaimIntake.acceptingAgency(orgPath: newPath)), "holderLogin": .null,
                "holderName": .null,
            ], to: &record, now: now)
        try table.save(db, recordId: id, record)
    }

    /// A removal only staff of `orgPath`'s subtree pull: the record's member never sees it, and
    /// the record's earlier entries stay for devices that have not pulled them yet.
    private static func evict(_ table: String, recordId: String, orgPath: String, now: Date, _ db: any SQLConnection)
        throws
    {
        let empty = FlatJSON.encode(FieldMap())
        try FeedFiling.append(
            FeedFiling.Entry(
                table: table, recordId: recordId, op: .delete, orgPath: orgPath, memberId: nil, memberOnly: false,
                isPublic: false, orgOnly: false, fields: empty, clocks: empty, createdAt: Timestamp.format(now)), db)
    }
}

import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// What came of a change to the organisation tree.
public enum OrgAdminOutcome: Sendable, Equatable {
    case done(OrgEntry)
    case refused(RuleViolation)
    case notFound
}

/// The organisation tree (权限管理): agencies added under the office or a city, renamed, moved
/// (`OrgMove`) and closed, each change in the audit trail in its own transaction. Units come from registration;
/// a unit's new name reaches every client through its synced record.
extension SQLCaseStore {
    public func addAgency(_ request: NewOrgRequest, by principal: Principal, now: Date) async throws
        -> OrgAdminOutcome
    {
        try await database.write { db in
            guard let parent = try OrgNode.load(db, id: request.parentId),
                parent.path.hasPrefix(principal.orgPath), AccountAdminRules.mayAdminister(Self.actor(principal))
            else { return .notFound }
            guard let level = AccountAdminRules.childLevel(of: parent.level) else {
                return .refused(RuleViolation(field: "parent", message: "只能在办事处下设市级、在市级下设县级代办机构；参保单位经注册审核产生"))
            }
            if try Self.isClosed(db, parent.id) {
                return .refused(RuleViolation(field: "parent", message: "上级机构已撤销，不能在其下新增机构"))
            }
            let id = "org-" + UUID().uuidString.lowercased().prefix(8)
            _ = try Self.insertOrg(
                NewOrg(id: id, parentId: parent.id, level: level, code: request.code, name: request.name), db)
            try AccountAudit.append(
                db, by: principal, .orgAdded, target: id, orgPath: parent.path + id + "/",
                detail: "\(level.chineseName)「\(request.name)」，上级：\(parent.name)", now: now)
            return .done(try Self.orgEntry(db, id: id, base: principal.orgPath))
        }
    }

    public func changeOrg(id: String, _ change: OrgChangeRequest, by principal: Principal, now: Date) async throws
        -> OrgAdminOutcome
    {
        try await database.write { db in
            guard var node = try OrgNode.load(db, id: id) else { return .notFound }
            if let violation = AccountAdminRules.mayEditOrg(Self.actor(principal), path: node.path) {
                return node.path.hasPrefix(principal.orgPath) ? .refused(violation) : .notFound
            }
            if let parentId = change.parentId, parentId != node.parentId {
                guard let parent = try OrgNode.load(db, id: parentId), parent.path.hasPrefix(principal.orgPath) else {
                    return .refused(
                        RuleViolation(field: "parent", message: "没有该上级机构，请用 member-cli admin org list 查看机构编号"))
                }
                let closed = try Self.isClosed(db, parent.id)
                if let violation = AccountAdminRules.mayMoveOrg(
                    Self.actor(principal), node: (node.level, node.path), parent: (parent.level, parent.path, closed))
                {
                    return .refused(violation)
                }
                if let violation = try OrgMove.perform(db, node: node, to: parent, now: now) {
                    return .refused(violation)
                }
                try AccountAudit.append(
                    db, by: principal, .orgMoved, target: id, orgPath: parent.path,
                    detail: "\(node.name)：\(node.parentName ?? "") → \(parent.name)", now: now)
                node = try OrgNode.load(db, id: id) ?? node
            }
            if let name = change.name, name != node.name {
                try db.execute(sql: "UPDATE org SET name = ? WHERE id = ?", arguments: [name, id])
                if node.level == .unit, var unit = try RowTable(spec: .unit).load(db, recordId: id) {
                    try ServerWrites.update(RowTable(spec: .unit), id: id, &unit, ["name": .string(name)], now: now, db)
                }
                try AccountAudit.append(
                    db, by: principal, .orgRenamed, target: id, orgPath: node.path, detail: "\(node.name) → \(name)",
                    now: now)
            }
            if change.closed == true, !(try Self.isClosed(db, id)) {
                if let violation = try Self.closeViolation(db, node) { return .refused(violation) }
                try db.execute(
                    sql: "UPDATE org SET closed_at = ? WHERE id = ?", arguments: [Timestamp.format(now), id])
                try AccountAudit.append(
                    db, by: principal, .orgClosed, target: id, orgPath: node.path,
                    detail: "\(node.name)" + (change.note.map { "：\($0)" } ?? ""), now: now)
            }
            return .done(try Self.orgEntry(db, id: id, base: principal.orgPath))
        }
    }

    /// An agency closes once nothing below it is open and no account on it or below can log in.
    static func closeViolation(_ db: any SQLConnection, _ node: OrgNode) throws -> RuleViolation? {
        guard node.level == .city || node.level == .county else {
            return RuleViolation(field: "org", message: "只能撤销代办机构；参保单位的合并与注销请用 member-cli unit")
        }
        let below = [node.path + "\u{1}", node.path + "\u{10FFFF}"]
        let openChildren =
            try db.fetchValue(
                Int.self, sql: "SELECT COUNT(*) FROM org WHERE path > ? AND path < ? AND closed_at IS NULL",
                arguments: [below[0], below[1]]) ?? 0
        if openChildren > 0 {
            return RuleViolation(field: "org", message: "该机构下还有 \(openChildren) 个未撤销的下级机构或参保单位，请先处理")
        }
        let accounts =
            try db.fetchValue(
                Int.self,
                sql: """
                    SELECT COUNT(*) FROM account a JOIN org o ON o.id = a.org_id
                    WHERE o.path >= ? AND o.path < ? AND a.disabled_at IS NULL
                    """, arguments: [node.path, below[1]]) ?? 0
        if accounts > 0 {
            return RuleViolation(field: "org", message: "该机构还有 \(accounts) 个启用的账号，请先停用或调往其他机构")
        }
        return nil
    }

    static func isClosed(_ db: any SQLConnection, _ id: String) throws -> Bool {
        try db.fetchValue(String.self, sql: "SELECT closed_at FROM org WHERE id = ?", arguments: [id]) != nil
    }

    static func orgEntry(_ db: any SQLConnection, id: String, base: String) throws -> OrgEntry {
        let row = try db.fetchOne(
            sql: "SELECT id, parent_id, level, code, name, path, closed_at FROM org WHERE id = ?", arguments: [id])!
        let path: String = try row["path"]
        return OrgEntry(
            id: id, parentId: try row["parent_id"], level: OrgLevel(rawValue: try row["level"]) ?? .unit,
            code: try row["code"], name: try row["name"],
            depth: path.split(separator: "/").count - base.split(separator: "/").count,
            closed: (try row["closed_at"] as String?) != nil)
    }
}

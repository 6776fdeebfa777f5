import MutualAidDomain
import SyncStorage

/// An organisation node and its parent, as enrolment and registration need them.
struct OrgNode {
    var id: String
    var name: String
    var level: OrgLevel
    var path: String
    var parentId: String?
    var parentName: String?

    static func load(_ db: any SQLConnection, id: String) throws -> OrgNode? {
        guard
            let row = try db.fetchOne(
                sql: """
                    SELECT o.id, o.name, o.level, o.path, o.parent_id, p.name AS parent_name
                    FROM org o LEFT JOIN org p ON p.id = o.parent_id WHERE o.id = ?
                    """, arguments: [id])
        else { return nil }
        return OrgNode(
            id: try row["id"], name: try row["name"], level: OrgLevel(rawValue: try row["level"]) ?? .unit,
            path: try row["path"], parentId: try row["parent_id"], parentName: try row["parent_name"])
    }

    /// A unit the principal may work for: its own unit, or one in an agent's subtree that has
    /// not been merged away.
    static func workableUnit(_ db: any SQLConnection, id: String?, for principal: Principal) throws -> Result<
        OrgNode, RuleViolation
    > {
        let unitId = principal.role == .unit ? (id ?? principal.orgId) : id
        guard let unitId, !unitId.isEmpty else {
            return .failure(RuleViolation(field: "unitId", message: "请指定参保单位（--unit）"))
        }
        guard principal.role != .unit || unitId == principal.orgId,
            let node = try load(db, id: unitId), node.level == .unit, principal.scope.contains(orgPath: node.path)
        else {
            return .failure(RuleViolation(field: "unitId", message: "参保单位不存在或不在您的管辖范围内"))
        }
        if try db.fetchValue(String.self, sql: "SELECT state FROM unit WHERE id = ?", arguments: [unitId]) == "merged" {
            return .failure(RuleViolation(field: "unitId", message: "该单位已合并到其他单位，请为合并后的单位办理"))
        }
        return .success(node)
    }
}

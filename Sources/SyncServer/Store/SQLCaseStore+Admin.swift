import Foundation
import MutualAidDomain
import SyncStorage

extension SQLCaseStore {
    public func addOrg(_ org: NewOrg) async throws {
        try await database.write { db in _ = try Self.insertOrg(org, db) }
    }

    /// Adds a node under its parent and returns its path.
    static func insertOrg(_ org: NewOrg, _ db: any SQLConnection) throws -> String {
        var path = "/"
        if let parentId = org.parentId {
            guard
                let parentPath = try db.fetchValue(
                    String.self,
                    sql: "SELECT path FROM org WHERE id = ?", arguments: [parentId])
            else {
                throw StoreError.unknownOrg
            }
            path = parentPath
        }
        try db.execute(
            sql: "INSERT INTO org (id, parent_id, level, code, name, path) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [org.id, org.parentId, org.level.rawValue, org.code, org.name, path + org.id + "/"])
        return path + org.id + "/"
    }

    /// A member and the first entry of their profile in the feed, so their client pulls it.
    public func addMember(_ member: NewMember, now: Date) async throws {
        try await database.write { db in
            guard
                let level = try db.fetchValue(
                    String.self,
                    sql: "SELECT level FROM org WHERE id = ?", arguments: [member.unitId])
            else {
                throw StoreError.unknownOrg
            }
            guard level == OrgLevel.unit.rawValue else { throw StoreError.notAUnit }
            try Self.insertMember(member, now: now, db)
        }
    }

    /// A member row and its profile's first feed entry.
    static func insertMember(_ member: NewMember, now: Date, _ db: any SQLConnection) throws {
        let stamp = ServerWrites.stamp(after: [:], now: now).description
        var clocks = ["name": stamp]
        if member.mobile != nil { clocks["mobile"] = stamp }
        try db.execute(
            sql: "INSERT INTO member (id, unit_id, name, id_number, mobile, clocks) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
                member.id, member.unitId, member.name, member.idNumber.uppercased(), member.mobile,
                String(decoding: try JSONEncoder().encode(clocks), as: UTF8.self),
            ])
        try appendFeed(ProfileTable(), recordId: member.id, now: now, db)
    }

    public func addAccount(_ account: NewAccount, now: Date) async throws -> String {
        try await database.write { db in
            guard try db.fetchValue(Bool.self, sql: "SELECT 1 FROM org WHERE id = ?", arguments: [account.orgId]) != nil
            else {
                throw StoreError.unknownOrg
            }
            if try db.fetchValue(Bool.self, sql: "SELECT 1 FROM account WHERE login = ?", arguments: [account.login])
                != nil
            {
                throw StoreError.loginTaken
            }
            let id = UUID().uuidString.lowercased()
            try db.execute(
                sql: """
                    INSERT INTO account (id, login, role, org_id, name, member_id, password_hash, must_change_password, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, account.login, account.role.rawValue, account.orgId, account.name,
                    account.memberId, account.passwordHash, account.mustChangePassword, Timestamp.format(now),
                ])
            return id
        }
    }

    /// Seeds an activity with its standards (demo and set-up), without the office's checks.
    public func addActivity(_ activity: ProtectionActivity, now: Date) async throws {
        try await database.write { db in try Self.insertActivity(activity, now: now, db) }
    }

    public func addMaterialItem(claimType: ClaimType, _ item: MaterialRequirement, sortOrder: Int, now: Date)
        async throws
    {
        try await database.write { db in
            let table = RowTable(spec: .materialItem)
            let fields: FieldMap = [
                "claimType": .string(claimType.rawValue), "item": .string(item.item), "name": .string(item.name),
                "required": .int(item.required ? 1 : 0), "maxCount": .int(Int64(item.maxCount)),
                "sortOrder": .int(Int64(sortOrder)),
            ]
            let id = "\(claimType.rawValue)/\(item.item)"
            try table.insert(
                db, recordId: id, VersionedRecord(fields: fields, clocks: ServerWrites.clocks(fields, now: now)))
            try Self.appendFeed(table, recordId: id, now: now, db)
        }
    }

    /// An enrolment record of a confirmed enrolment, visible to its member after sync.
    public func addEnrolment(_ e: NewEnrolment, now: Date) async throws {
        try await database.write { db in
            guard
                let member = try db.fetchOne(
                    sql: """
                        SELECT m.name, m.id_number, o.path, o.name AS unit_name FROM member m JOIN org o ON o.id = m.unit_id WHERE m.id = ?
                        """, arguments: [e.memberId])
            else { throw StoreError.unknownMember }
            guard
                let activity = try db.fetchOne(
                    sql: "SELECT name, fee FROM activity WHERE id = ?", arguments: [e.activityId])
            else {
                throw StoreError.unknownActivity
            }
            let fields: FieldMap = [
                "memberId": .string(e.memberId), "unitName": .string(try member["unit_name"]),
                "insuredName": .string(try member["name"]),
                "relation": .string(e.relation), "idNumber": .string(try member["id_number"]),
                "activityId": .string(e.activityId),
                "activityName": .string(try activity["name"]), "periodStart": .string(e.period.start.description),
                "periodEnd": .string(e.period.end.description), "shares": .int(Int64(e.shares)),
                "fee": .string((Money(try activity["fee"] as String) ?? .zero).times(e.shares).description),
                "renewal": .int(e.renewal ? 1 : 0),
            ]
            let table = RowTable(spec: .enrolment)
            try table.insert(
                db, recordId: e.id, VersionedRecord(fields: fields, clocks: ServerWrites.clocks(fields, now: now)),
                extra: ["org_path": try member["path"] as String])
            try Self.appendFeed(table, recordId: e.id, now: now, db)
        }
    }

    /// Looks up a member's id by their ID number (for `user add`).
    public func memberId(idNumber: String) async throws -> String? {
        try await database.read { db in
            try db.fetchValue(
                String.self,
                sql: "SELECT id FROM member WHERE id_number = ?", arguments: [idNumber.uppercased()])
        }
    }
}

/// Store failures that are the caller's mistake, with Chinese messages for the operator.
public enum StoreError: Error, CustomStringConvertible {
    case unknownOrg, notAUnit, loginTaken, unknownMember, unknownActivity

    public var description: String {
        switch self {
        case .unknownOrg: "机构不存在，请检查机构编号"
        case .notAUnit: "会员只能属于参保单位"
        case .loginTaken: "该登录名已被使用，请换一个"
        case .unknownMember: "没有该会员"
        case .unknownActivity: "没有该保障活动"
        }
    }
}

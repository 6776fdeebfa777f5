import Foundation
import GRDB
import MutualAidDomain

extension SQLiteCaseStore {
    public func addOrg(_ org: NewOrg) async throws {
        try await pool.write { db in
            var path = "/"
            if let parentId = org.parentId {
                guard let parentPath = try String.fetchOne(db, sql: "SELECT path FROM org WHERE id = ?", arguments: [parentId]) else {
                    throw StoreError.unknownOrg
                }
                path = parentPath
            }
            try db.execute(sql: "INSERT INTO org (id, parent_id, level, code, name, path) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [org.id, org.parentId, org.level.rawValue, org.code, org.name, path + org.id + "/"])
        }
    }

    /// A member and the first entry of their profile in the feed, so their client pulls it.
    public func addMember(_ member: NewMember, now: Date) async throws {
        try await pool.write { db in
            guard let level = try String.fetchOne(db, sql: "SELECT level FROM org WHERE id = ?", arguments: [member.unitId]) else {
                throw StoreError.unknownOrg
            }
            guard level == OrgLevel.unit.rawValue else { throw StoreError.notAUnit }
            let stamp = HLCTimestamp(millis: Int64(now.timeIntervalSince1970 * 1000), counter: 0, node: "server").description
            var clocks = ["name": stamp]
            if member.mobile != nil { clocks["mobile"] = stamp }
            try db.execute(sql: "INSERT INTO member (id, unit_id, name, id_number, mobile, clocks) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [member.id, member.unitId, member.name, member.idNumber, member.mobile,
                                       String(decoding: try JSONEncoder().encode(clocks), as: UTF8.self)])
            let table = ProfileTable()
            if let stored = try table.load(db, recordId: member.id) {
                try Self.appendFeed(table: table.spec, recordId: member.id, op: .upsert, stored: stored, now: now, db)
            }
        }
    }

    public func addAccount(_ account: NewAccount, now: Date) async throws -> String {
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM org WHERE id = ?", arguments: [account.orgId]) != nil else {
                throw StoreError.unknownOrg
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE login = ?", arguments: [account.login]) != nil {
                throw StoreError.loginTaken
            }
            let id = UUID().uuidString.lowercased()
            try db.execute(sql: """
                INSERT INTO account (id, login, role, org_id, name, member_id, password_hash, must_change_password, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, account.login, account.role.rawValue, account.orgId, account.name,
                                 account.memberId, account.passwordHash, account.mustChangePassword, Timestamp.format(now)])
            return id
        }
    }

    public func addActivity(_ activity: ProtectionActivity) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO activity (id, name, subtype, fee_cents, min_enrolment_rate_pct) VALUES (?, ?, ?, ?, ?)
                """, arguments: [activity.id, activity.name, activity.subtype, activity.fee.cents, activity.minEnrolmentRatePercent])
            for s in activity.standards {
                try db.execute(sql: """
                    INSERT INTO claim_standard (id, activity_id, claim_type, name, method, ratio_bp, amount_cents,
                        cap_cents, waiting_days, observation_days, consolation_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [s.id, activity.id, s.claimType.rawValue, s.name, s.method.rawValue, s.ratioBasisPoints,
                                     s.amount?.cents, s.cap?.cents, s.waitingDays, s.observationDays, s.consolation?.cents])
            }
        }
    }

    /// Looks up a member's id by their ID number (for `user add`).
    public func memberId(idNumber: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM member WHERE id_number = ?", arguments: [idNumber])
        }
    }
}

/// Store failures that are the caller's mistake, with Chinese messages for the operator.
public enum StoreError: Error, CustomStringConvertible {
    case unknownOrg, notAUnit, loginTaken, unknownMember

    public var description: String {
        switch self {
        case .unknownOrg: "机构不存在，请检查机构编号"
        case .notAUnit: "会员只能属于参保单位"
        case .loginTaken: "该登录名已被使用，请换一个"
        case .unknownMember: "没有该身份证号码的会员"
        }
    }
}

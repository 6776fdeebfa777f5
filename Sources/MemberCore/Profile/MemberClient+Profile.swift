import Foundation
import GRDB
import MutualAidDomain

public struct Profile: Sendable, Codable, Equatable {
    @NullWhenAbsent public var name: String?
    @NullWhenAbsent public var mobile: String?
    @NullWhenAbsent public var bankAccount: String?
    @NullWhenAbsent public var bankName: String?
}

extension MemberClient {
    public func profile() throws -> Profile {
        try database.read { db in
            guard let memberId = try Self.account(db)?.memberId else { throw ClientError.notAMember }
            let fields = try self.database.table(.profile).load(db, id: memberId)?.fields ?? [:]
            return Profile(
                name: fields["name"]?.stringValue, mobile: fields["mobile"]?.stringValue,
                bankAccount: fields["bankAccount"]?.stringValue, bankName: fields["bankName"]?.stringValue)
        }
    }

    /// Edits work offline: the new values and their outbox entry commit together.
    public func updateProfile(mobile: String?, bankAccount: String?, bankName: String?) throws -> Profile {
        var changes = FieldMap()
        if let mobile { changes["mobile"] = .string(mobile) }
        if let bankAccount { changes["bankAccount"] = .string(bankAccount) }
        if let bankName { changes["bankName"] = .string(bankName.trimmingCharacters(in: .whitespaces)) }
        guard !changes.isEmpty else {
            throw ClientError.invalidInput(
                RuleViolation(field: "profile", message: "请至少指定 --mobile、--bank-account、--bank-name 之一"))
        }
        for (field, value) in changes.sorted(by: { $0.key < $1.key }) {
            do { try FieldRules.validate(table: .profile, field: field, value: value) } catch {
                throw ClientError.invalidInput(error)
            }
        }
        let edits = changes
        try database.write { db in
            guard let memberId = try Self.account(db)?.memberId else { throw ClientError.notAMember }
            try LocalEdit.upsert(db, self.database.table(.profile), id: memberId, fields: edits)
        }
        return try profile()
    }
}

extension MemberClient {
    /// Queues many profile edits in one transaction (benchmark set-up for a large outbox).
    @_spi(Benchmark) public func queueProfileEdits(mobiles: [String]) throws {
        try database.write { db in
            guard let memberId = try Self.account(db)?.memberId else { throw ClientError.notAMember }
            let table = self.database.table(.profile)
            for mobile in mobiles { try LocalEdit.upsert(db, table, id: memberId, fields: ["mobile": .string(mobile)]) }
        }
    }
}

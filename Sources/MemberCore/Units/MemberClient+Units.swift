import Foundation
import GRDB
import MutualAidDomain

/// Unit work of agents: registrations to review, unit data (信息维护), contacts, merge and
/// search. Search and views read the replica, so they work offline.
extension MemberClient {
    public struct UnitView: Codable, Sendable {
        public struct Contact: Codable, Sendable {
            public var id: String
            public var name: String
            public var position: String?
            public var officePhone: String?
            public var mobile: String?
            public var email: String?
            public var valid: Bool
        }
        public var id: String
        public var name: String
        public var code: String
        public var nature: String?
        public var agencyName: String?
        public var address: String?
        public var region: String?
        public var industry: String?
        public var state: String
        public var mergedInto: String?
        public var login: String?
        public var contacts: [Contact]
    }

    public struct PendingRegistration: Codable, Sendable {
        public var id: String
        public var name: String
        public var code: String
        public var agencyName: String
        public var source: String
        public var state: String
        public var contactName: String
        public var mobile: String
        public var submittedAt: String
    }

    public func unitRegistrations(all: Bool = false) throws -> [PendingRegistration] {
        try database.read { db in
            try self.database.table(.unitRegistration).all(db, where: all ? "1" : "state = 'submitted'").map { r in
                let f = r.fields
                func s(_ k: String) -> String { f[k]?.stringValue ?? "" }
                return PendingRegistration(
                    id: r.id, name: s("name"), code: s("code"), agencyName: s("agencyName"), source: s("source"),
                    state: s("state"), contactName: s("contactName"), mobile: s("mobile"), submittedAt: s("submittedAt")
                )
            }.sorted { $0.submittedAt < $1.submittedAt }
        }
    }

    /// Downloads both certificate photos of a registration into `directory` (agents only).
    public func registrationPhotos(_ id: String, to directory: URL) async throws -> [String] {
        let api = try api()
        var written: [String] = []
        for photo in RegistrationPhoto.allCases {
            var request = HTTPRequest(method: "GET", url: api.baseURL + "/v1/registrations/\(id)/\(photo.rawValue)")
            request.headers = [("Authorization", "Bearer \(api.token ?? "")")]
            let response = try await api.sendWithRetry(request)
            guard response.status == 200 else { throw APIClient.error(from: response) }
            let url = directory.appendingPathComponent("\(id.prefix(8))-\(photo.rawValue).jpg")
            do { try response.body.write(to: url, options: .atomic) } catch { throw ClientError.io("无法写入 \(url.path)") }
            written.append(url.path)
        }
        return written
    }

    public func units(matching text: String? = nil) throws -> [UnitView] {
        try database.read { db in
            let needle = text?.trimmingCharacters(in: .whitespaces).uppercased() ?? ""
            return try self.database.table(.unit).all(db).compactMap { r in
                let name = r.fields["name"]?.stringValue ?? ""
                let code = r.fields["code"]?.stringValue ?? ""
                guard
                    needle.isEmpty || name.uppercased().contains(needle) || code.contains(needle)
                        || r.id == needle.lowercased()
                else { return nil }
                return try self.unitView(db, r.id, r.fields)
            }
        }
    }

    public func unit(_ id: String) throws -> UnitView {
        try database.read { db in
            guard let f = try self.database.table(.unit).load(db, id: id)?.fields else {
                throw ClientError.invalidInput(
                    RuleViolation(field: "unit", message: "本机找不到单位 \(id.prefix(40))，请先 member-cli sync"))
            }
            return try self.unitView(db, id, f)
        }
    }

    /// Maintenance of unit data by an agent; fields checked as typed, then synced.
    public func editUnit(_ id: String, _ edit: UnitEdit, online: Bool = true) async throws -> ActionOutcome {
        let changes = edit.fields
        guard !changes.isEmpty else {
            throw ClientError.invalidInput(RuleViolation(field: "unit", message: "没有要修改的内容"))
        }
        do throws(RuleViolation) {
            if let code = edit.code { try UnifiedSocialCreditCode.validate(code) }
            if let code = edit.unionCode { try UnifiedSocialCreditCode.validate(code, field: "unionCode") }
            for (name, value) in changes { try FieldRules.validate(table: .unit, field: name, value: value) }
        } catch { throw ClientError.invalidInput(error) }
        let change = try database.write { db -> String in
            _ = try self.staffAccount(db, roles: [.agent, .office], what: "单位信息维护")
            guard try self.database.table(.unit).load(db, id: id) != nil else {
                throw ClientError.invalidInput(RuleViolation(field: "unit", message: "本机找不到单位 \(id.prefix(40))"))
            }
            return try LocalEdit.upsert(db, self.database.table(.unit), id: id, fields: changes)
        }
        return try await settle([change], online: online)
    }

    public func addContact(unitId: String, _ contact: UnitContactForm, online: Bool = true) async throws -> (
        id: String, outcome: ActionOutcome
    ) {
        do throws(RuleViolation) { try contact.validate() } catch { throw ClientError.invalidInput(error) }
        let id = UUID().uuidString.lowercased()
        let change = try database.write { db -> String in
            _ = try self.staffAccount(db, roles: [.unit, .agent, .office], what: "联系人维护")
            return try LocalEdit.insert(
                db, self.database.table(.unitContact), id: id,
                fields: [
                    "unitId": .string(unitId), "name": .string(contact.name),
                    "position": contact.position.map(FieldValue.string) ?? .null,
                    "officePhone": .string(contact.officePhone), "mobile": .string(contact.mobile),
                    "email": .string(contact.email),
                    "valid": .int(1),
                ])
        }
        return (id, try await settle([change], online: online))
    }

    public func setContactValid(_ id: String, valid: Bool, online: Bool = true) async throws -> ActionOutcome {
        let change = try database.write { db -> String in
            guard try self.database.table(.unitContact).load(db, id: id) != nil else {
                throw ClientError.invalidInput(RuleViolation(field: "contact", message: "本机找不到联系人 \(id.prefix(40))"))
            }
            return try LocalEdit.upsert(
                db, self.database.table(.unitContact), id: id, fields: ["valid": .int(valid ? 1 : 0)])
        }
        return try await settle([change], online: online)
    }

    private func unitView(_ db: Database, _ id: String, _ f: FieldMap) throws -> UnitView {
        func s(_ k: String) -> String? { f[k]?.stringValue }
        let contacts = try database.table(.unitContact).all(db, where: "unit_id = ?", arguments: [id]).map { c in
            UnitView.Contact(
                id: c.id, name: c.fields["name"]?.stringValue ?? "", position: c.fields["position"]?.stringValue,
                officePhone: c.fields["officePhone"]?.stringValue, mobile: c.fields["mobile"]?.stringValue,
                email: c.fields["email"]?.stringValue, valid: c.fields["valid"]?.intValue == 1)
        }
        return UnitView(
            id: id, name: s("name") ?? "", code: s("code") ?? "", nature: s("nature"), agencyName: s("agencyName"),
            address: s("address"), region: s("region"), industry: s("industry"), state: s("state") ?? "active",
            mergedInto: s("mergedInto"), login: s("login"), contacts: contacts)
    }
}

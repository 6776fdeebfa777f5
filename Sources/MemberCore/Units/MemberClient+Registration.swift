import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol

/// Unit self-registration (单位注册) before the unit has an account: the form is checked and
/// kept here (sealed), sent with `PUT /v1/registrations/{id}` when the server can be reached,
/// and its outcome looked up by that id. Sent again after a crash, the same id and form get the
/// same answer, so nothing is registered twice.
extension MemberClient {
    public struct RegistrationView: Codable, Sendable {
        public var id: String
        public var unitName: String
        public var code: String
        public var sent: Bool
        public var state: String
        public var stateName: String
        public var note: String?
        public var login: String?
        public var unitId: String?
    }

    public func newRegistration(_ form: UnitRegistrationForm, licence: URL, unionCertificate: URL) throws
        -> RegistrationView
    {
        try form.validateAsClientError()
        let images = try [(licence, "licence"), (unionCertificate, "unionCertificate")].map { url, field in
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw ClientError.io("无法读取文件 \(url.lastPathComponent)")
            }
            do throws(RuleViolation) { try CertificateImage.validate(data, field: field) } catch {
                throw ClientError.invalidInput(error)
            }
            return data
        }
        let id = UUID().uuidString.lowercased()
        try vault.store(images[0], materialId: "registration-\(id)-licence")
        try vault.store(images[1], materialId: "registration-\(id)-union")
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO registration_draft (id, form, licence_sha256, union_sha256, state, created_at) VALUES (?, ?, '', '', 'draft', ?)
                    """,
                arguments: [
                    id, try self.database.cipher.seal(text: JSONText.encode(form)), self.database.clock.iso8601,
                ])
        }
        return try registrations().first { $0.id == id }!
    }

    public func registrations() throws -> [RegistrationView] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM registration_draft ORDER BY created_at").map { row in
                let form = JSONText.decode(UnitRegistrationForm.self, try self.database.cipher.open(text: row["form"]))
                let state: String = row["state"] ?? "draft"
                return RegistrationView(
                    id: row["id"], unitName: form?.name ?? "", code: form?.code ?? "", sent: row["sent_at"] != nil,
                    state: state, stateName: state == "draft" ? "待发送" : RegistrationStatus.chineseName(state),
                    note: row["review_note"], login: row["login"], unitId: row["unit_id"])
            }
        }
    }

    /// Sends every registration not yet sent and refreshes the others' outcome.
    public func sendRegistrations() async throws -> [RegistrationView] {
        let agent =
            try database.read { db in try Self.account(db) }.map { $0.role == .agent || $0.role == .office } ?? false
        var api = try api(requireLogin: false)
        if !agent { api.token = nil }  // a unit registers itself without an account
        let drafts = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, form, sent_at, state FROM registration_draft").map { row in
                (
                    id: row["id"] as String, form: row["form"] as String, sent: row["sent_at"] as String? != nil,
                    state: row["state"] as String?
                )
            }
        }
        for row in drafts {
            let id = row.id
            let status: RegistrationStatus
            if !row.sent {
                guard let form = JSONText.decode(UnitRegistrationForm.self, try database.cipher.open(text: row.form))
                else { continue }
                let body = RegistrationRequest(
                    form: form, licence: try vault.read("registration-\(id)-licence").base64EncodedString(),
                    unionCertificate: try vault.read("registration-\(id)-union").base64EncodedString())
                do {
                    status = try await api.put("/v1/registrations/\(id)", body, as: RegistrationStatus.self)
                } catch ClientError.server(let code, _, let message) where (400..<500).contains(code) {
                    // Refused for good (a code already registered): keep the reason, stop resending.
                    try database.write { db in
                        try db.execute(
                            sql:
                                "UPDATE registration_draft SET sent_at = ?, state = 'rejected', review_note = ? WHERE id = ?",
                            arguments: [self.database.clock.iso8601, message, id])
                    }
                    continue
                }
            } else if row.state == "submitted" {
                status = try await api.get("/v1/registrations/\(id)", as: RegistrationStatus.self)
            } else {
                continue
            }
            try database.write { db in
                try db.execute(
                    sql: """
                        UPDATE registration_draft SET sent_at = COALESCE(sent_at, ?), state = ?, review_note = ?, login = ?, unit_id = ?
                        WHERE id = ?
                        """,
                    arguments: [
                        self.database.clock.iso8601, status.state, status.note, status.login, status.unitId, id,
                    ])
            }
        }
        return try registrations()
    }

    /// A changed password (required at first login with an initial one).
    public func changePassword(current: String, new: String) async throws {
        do throws(RuleViolation) { try PasswordRules.validate(new: new, current: current) } catch {
            throw ClientError.invalidInput(error)
        }
        let api = try api()
        _ = try await api.post(
            "/v1/auth/password", PasswordChangeRequest(currentPassword: current, newPassword: new),
            as: [String: String].self)
    }
}

extension UnitRegistrationForm {
    func validateAsClientError() throws {
        do throws(RuleViolation) { try validate(today: CalendarDate.today(in: CalendarDate.chinaTimeZone)) } catch {
            throw ClientError.invalidInput(error)
        }
    }
}

import Crypto
import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// A registration arriving over `PUT /v1/registrations/{id}`: from a unit without an account
/// (self-registration, reviewed by an agent) or from an agent (registered and approved at once).
extension SQLCaseStore {
    public func submitRegistration(
        id: String, _ request: RegistrationRequest, by principal: Principal?, content: any BlobStore,
        now: Date
    ) async throws -> Result<RegistrationStatus, ServerError> {
        guard id.count <= 64, !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else {
            return .failure(.badRequest("注册编号格式不正确", code: "invalid_id"))
        }
        if let principal, principal.role != .agent && principal.role != .office {
            return .failure(ServerError(.forbidden, "forbidden", "只有代办机构可以代单位注册；单位自行注册无需登录"))
        }
        let images: [(field: String, data: Data)]
        do {
            images = try [("licence", request.licence), ("unionCertificate", request.unionCertificate)].map {
                field, text in
                guard let data = Data(base64Encoded: text) else {
                    throw RuleViolation(field: field, message: "证件照片须是 Base64 编码的 JPG 图片")
                }
                try CertificateImage.validate(data, field: field)
                return (field, data)
            }
            try request.form.validate(today: CalendarDate.today(in: CalendarDate.chinaTimeZone, now: now))
        } catch let violation as RuleViolation {
            return .failure(.rule(violation))
        }
        let formHash = Self.hash(
            Data((try? JSONEncoder.sorted.encode(request.form)) ?? Data()) + images[0].data + images[1].data)
        do {
            return try await write(
                id: id, request, formHash: formHash, images: images.map(\.data), by: principal, content: content,
                now: now)
        } catch let violation as RuleViolation {
            return .failure(.rule(violation))
        }
    }

    private func write(
        id: String, _ request: RegistrationRequest, formHash: String, images: [Data], by principal: Principal?,
        content: any BlobStore, now: Date
    ) async throws -> Result<RegistrationStatus, ServerError> {
        try await database.write { db -> Result<RegistrationStatus, ServerError> in
            if let existing = try UnitApproval.registrations.load(db, recordId: id) {
                let sameForm =
                    try db.fetchValue(
                        String.self,
                        sql: "SELECT form_hash FROM unit_registration WHERE id = ?", arguments: [id]) == formHash
                // A retry of the same registration gets the same answer; another form under a used id is refused.
                return sameForm
                    ? .success(Self.status(id, existing))
                    : .failure(ServerError(.conflict, "registration_exists", "该注册编号已使用，不能提交不同的内容"))
            }
            let form = request.form
            guard let agency = try OrgNode.load(db, id: form.agencyId),
                agency.level == .city || agency.level == .county,
                agency.path.hasPrefix("/\(form.officeId)/")
            else {
                return .failure(.rule(RuleViolation(field: "agencyId", message: "所属机构不存在或不属于所选办事处")))
            }
            if let principal, !principal.scope.contains(orgPath: agency.path) {
                return .failure(.rule(RuleViolation(field: "agencyId", message: "只能为本机构及下级机构的单位注册")))
            }
            if try SQLCaseStore.isClosed(db, agency.id) {
                return .failure(.rule(RuleViolation(field: "agencyId", message: "所选代办机构已撤销，请选择其他代办机构")))
            }
            if let name = try db.fetchValue(
                String.self,
                sql: "SELECT name FROM unit WHERE code = ? AND state = 'active'", arguments: [form.code])
            {
                return .failure(ServerError(.conflict, "unit_exists", "该统一社会信用代码已注册为参保单位「\(name)」，请直接登录"))
            }
            if try db.fetchOne(
                sql: "SELECT 1 FROM unit_registration WHERE code = ? AND state = 'submitted'",
                arguments: [form.code]) != nil
            {
                return .failure(ServerError(.conflict, "registration_pending", "该单位已有待审核的注册申请，请等待审核结果"))
            }
            // Only a registration that is kept stores its photos (read-only files by SHA-256),
            // counted in material_blob in this same transaction; a file whose row a rollback
            // undid is removed at the next start (ContentMaintenance).
            let hashes = images.map(Self.hash)
            for (image, sha) in zip(images, hashes) {
                guard try content.store(image, sha256: sha, in: db) else { throw DurableFile.failed }
                try db.execute(
                    sql: "INSERT INTO material_blob (sha256, bytes, stored_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT (sha256) DO UPDATE SET unreferenced_since = NULL",
                    arguments: [sha, image.count, Timestamp.format(now)])
            }
            let fields = Self.fields(
                form, agency: agency, licence: hashes[0], union: hashes[1], agentPath: principal != nil, now: now)
            try ServerWrites.insert(
                UnitApproval.registrations, id: id, fields, orgPath: agency.path,
                extra: ["form_hash": formHash], now: now, db)
            var stored = try UnitApproval.registrations.load(db, recordId: id)!
            if let principal {
                if let violation = try UnitApproval.approve(
                    db, id: id, &stored, note: "代办机构代为注册", by: principal, now: now)
                {
                    throw violation  // rolls the registration back: nothing half-made stays
                }
            }
            return .success(Self.status(id, stored))
        }
    }

    /// In the content store, or (a registration from before migration 0006 whose photo was
    /// not moved out yet) still in the database.
    public func registrationPhoto(id: String, _ kind: RegistrationPhoto, by principal: Principal) async throws
        -> StoredPhoto?
    {
        try await database.read { db in
            guard principal.role == .agent || principal.role == .office,
                let reg = try UnitApproval.registrations.load(db, recordId: id),
                principal.scope.contains(orgPath: reg.orgPath),
                let sha = reg.record.fields[kind == .licence ? "licenceSha256" : "unionCertSha256"]?.stringValue
            else { return nil }
            if let legacy = try db.fetchValue(
                Data.self,
                sql: "SELECT content FROM certificate_image WHERE sha256 = ?", arguments: [sha])
            {
                return .legacy(legacy)
            }
            return .stored(sha256: sha)
        }
    }

    public func registrationStatus(id: String) async throws -> RegistrationStatus? {
        try await database.read { db in
            try UnitApproval.registrations.load(db, recordId: id).map { Self.status(id, $0) }
        }
    }

    static func status(_ id: String, _ stored: StoredRecord) -> RegistrationStatus {
        let f = stored.record.fields
        return RegistrationStatus(
            id: id, state: f["state"]?.stringValue ?? "submitted", note: f["reviewNote"]?.stringValue,
            unitId: f["unitId"]?.stringValue, login: f["login"]?.stringValue)
    }

    static func fields(
        _ form: UnitRegistrationForm, agency: OrgNode, licence: String, union: String, agentPath: Bool, now: Date
    ) -> FieldMap {
        func text(_ s: String?) -> FieldValue { s.map { .string($0) } ?? .null }
        return [
            "officeId": .string(form.officeId), "agencyId": .string(agency.id), "agencyName": .string(agency.name),
            "name": .string(form.name), "nature": .string(form.nature), "certType": .string(form.certType),
            "certExpiry": text(form.certExpiry?.description), "code": .string(form.code),
            "unionName": .string(form.unionName),
            "unionCode": .string(form.unionCode), "industry": text(form.industry), "parentUnit": text(form.parentUnit),
            "region": .string(form.region), "address": .string(form.address),
            "classified": .int(agentPath && form.classified ? 1 : 0),
            "contactName": .string(form.contact.name), "position": text(form.contact.position),
            "officePhone": .string(form.contact.officePhone), "mobile": .string(form.contact.mobile),
            "email": .string(form.contact.email),
            "licenceSha256": .string(licence), "unionCertSha256": .string(union),
            "source": .string(agentPath ? "agent" : "self"),
            "state": .string("submitted"), "submittedAt": .string(Timestamp.format(now)),
        ]
    }

    static func hash(_ data: Data) -> String {
        RecordDigest.hex(SHA256.hash(data: data))
    }
}

/// Where a certificate photo's bytes are.
public enum StoredPhoto: Sendable {
    case stored(sha256: String)
    case legacy(Data)
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}

import Foundation
import MutualAidDomain
import SyncStorage

/// Review of a unit registration (注册审核): approval creates the unit, its first contact and
/// its login, and sends a random initial password by SMS; the password must be changed at
/// first login.
enum UnitApproval {
    static let registrations = RowTable(spec: .unitRegistration)

    static func perform(
        _ db: any SQLConnection, id: String, pass: Bool, note: String?, by principal: Principal,
        now: Date
    ) throws -> (violation: RuleViolation?, orgPath: String) {
        guard var reg = try registrations.load(db, recordId: id),
            principal.scope.contains(orgPath: reg.orgPath)
        else { return (ServerTables.notFound, "") }
        let actor = EnrolmentActor(role: principal.role, level: principal.orgLevel, inSubtree: true)
        guard EnrolmentPoolStep.registration.isHeld(by: actor) else {
            return (RuleViolation(field: "actor", message: "注册审核由代办机构或办事处办理"), reg.orgPath)
        }
        guard reg.record.fields["state"]?.stringValue == "submitted" else {
            return (RuleViolation(field: "state", message: "该注册申请已审核，不能重复审核"), reg.orgPath)
        }
        do throws(RuleViolation) {
            try PoolHolding.checkDecision(holder: PoolHolds.holder(reg.record.fields), by: principal.login)
        } catch {
            return (error, reg.orgPath)
        }
        guard TextLimit.fits(note ?? "", characters: EnrolmentWorkflow.noteLimit) else {
            return (RuleViolation(field: "note", message: "意见不能超过\(EnrolmentWorkflow.noteLimit)个字"), reg.orgPath)
        }
        if !pass {
            guard let note else { return (RuleViolation(field: "note", message: "不通过时请填写原因"), reg.orgPath) }
            try ServerWrites.update(
                registrations, id: id, &reg,
                ["state": .string("rejected"), "reviewNote": .string(note), "reviewer": .string(principal.name)]
                    .merging(PoolHolds.cleared) { mine, _ in mine }, now: now, db)
            // The registrant has no account yet: the contact hears of it by SMS.
            if let mobile = reg.record.fields["mobile"]?.stringValue {
                let text = Messages.registrationRefused(
                    unitName: reg.record.fields["name"]?.stringValue ?? "", note: note
                ).text
                try SMSOutbox().send(to: mobile, text: text, redacted: text, now: now, db)
            }
            return (nil, reg.orgPath)
        }
        return (try approve(db, id: id, &reg, note: note, by: principal, now: now), reg.orgPath)
    }

    /// Creates the unit under its agency; refuses a code that is already an active unit.
    static func approve(
        _ db: any SQLConnection, id: String, _ reg: inout StoredRecord, note: String?, by principal: Principal,
        now: Date, sms: any SMSGateway = SMSOutbox()
    ) throws -> RuleViolation? {
        let f = reg.record.fields
        let code = f["code"]?.stringValue ?? ""
        if let existing = try db.fetchValue(
            String.self,
            sql: "SELECT name FROM unit WHERE code = ? AND state = 'active'", arguments: [code])
        {
            return RuleViolation(field: "code", message: "该统一社会信用代码已注册为参保单位「\(existing)」")
        }
        guard try db.fetchOne(sql: "SELECT 1 FROM account WHERE login = ?", arguments: [code]) == nil else {
            return RuleViolation(field: "code", message: "登录账号 \(code) 已被占用，请联系办事处")
        }
        let unitId = "u-" + UUID().uuidString.lowercased().prefix(12)
        let agencyId = f["agencyId"]?.stringValue ?? ""
        let name = f["name"]?.stringValue ?? ""
        let path = try SQLCaseStore.insertOrg(
            NewOrg(id: unitId, parentId: agencyId, level: .unit, code: code, name: name), db)
        var unit = FieldMap()
        for key in [
            "name", "nature", "certType", "certExpiry", "code", "unionName", "unionCode", "industry", "parentUnit",
            "region", "address", "classified", "agencyId", "agencyName",
        ] { unit[key] = f[key] ?? .null }
        unit["state"] = .string("active")
        unit["login"] = .string(code)
        try ServerWrites.insert(RowTable(spec: .unit), id: unitId, unit, orgPath: path, now: now, db)
        let contact: FieldMap = [
            "unitId": .string(unitId), "name": f["contactName"] ?? .null, "position": f["position"] ?? .null,
            "officePhone": f["officePhone"] ?? .null, "mobile": f["mobile"] ?? .null,
            "email": f["email"] ?? .null, "valid": .int(1),
        ]
        try ServerWrites.insert(
            RowTable(spec: .unitContact), id: UUID().uuidString.lowercased(), contact, orgPath: path, now: now, db)
        let password = OneTimePassword.make()
        try db.execute(
            sql: """
                INSERT INTO account (id, login, role, org_id, name, member_id, password_hash, must_change_password, created_at)
                VALUES (?, ?, 'unit', ?, ?, NULL, ?, 1, ?)
                """,
            arguments: [
                UUID().uuidString.lowercased(), code, unitId, f["contactName"]?.stringValue ?? name,
                try PasswordHasher.generated.hash(password), Timestamp.format(now),
            ])
        func message(_ secret: String) -> String {
            "【职工互助】\(name)已通过注册审核。登录账号：\(code)，初始密码：\(secret)。首次登录须修改密码，请勿泄露。"
        }
        try sms.send(
            to: f["mobile"]?.stringValue ?? "", text: message(password), redacted: message("******"), now: now, db)
        try MessageBox.send(
            Messages.registrationApproved(unitName: name, login: code), toOrg: path, about: id, now: now, db)
        try ServerWrites.update(
            registrations, id: id, &reg,
            [
                "state": .string("approved"), "unitId": .string(unitId), "login": .string(code),
                "reviewer": .string(principal.name), "reviewNote": note.map(FieldValue.string) ?? .null,
            ].merging(PoolHolds.cleared) { mine, _ in mine }, now: now, db)
        return nil
    }
}

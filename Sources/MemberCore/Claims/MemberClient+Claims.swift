import Foundation
import GRDB
import MutualAidDomain

/// Claim drafts, fully offline: every edit is checked, then written with its outbox entry.
extension MemberClient {
    public func enrolments() throws -> [EnrolmentView] {
        try database.read { db in try self.enrolmentViews(db) }
    }

    public func claims() throws -> [ClaimView] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM claim ORDER BY created_at DESC, id").compactMap {
                try self.claimView(db, id: $0)
            }
        }
    }

    public func claim(_ reference: String) throws -> ClaimView {
        try database.read { db in try self.claimView(db, id: try self.resolveClaim(db, reference))! }
    }

    /// A new draft; the payee starts as the member (本人) with the profile's mobile and account.
    public func newClaim(_ input: ClaimInput) throws -> ClaimView {
        guard input.claimType != nil, !(input.standardIds ?? []).isEmpty else {
            throw ClientError.invalidInput(
                RuleViolation(field: "standard", message: "请指定申领类型和至少一个申领标准（见 member-cli enrolments）"))
        }
        let id = UUID().uuidString.lowercased()
        try database.write { db in
            guard let account = try Self.account(db), account.role == .member, account.memberId != nil else {
                throw ClientError.notAMember
            }
            var fields = input.fields
            fields["enrolmentId"] = .string(try self.enrolmentFor(db, input: input))
            let profile = try self.database.table(.profile).load(db, id: account.memberId!)?.fields ?? [:]
            fields["payeeRelation"] = .string("本人")
            fields["payeeName"] = profile["name"] ?? .string(account.name)
            for (payee, own) in [
                ("payeeMobile", "mobile"), ("payeeBankAccount", "bankAccount"), ("payeeBankName", "bankName"),
            ] {
                if let value = profile[own], value != .null { fields[payee] = value }
            }
            fields["submission"] = .int(0)
            try self.checkDraft(db, merged: fields)
            try LocalEdit.upsert(db, self.database.table(.claim), id: id, fields: fields)
            try db.execute(
                sql: "UPDATE claim SET created_at = ? WHERE id = ?", arguments: [self.database.clock.iso8601, id])
        }
        return try claim(id)
    }

    public func editClaim(_ reference: String, _ input: ClaimInput) throws -> ClaimView {
        try updateDraft(
            reference, input.fields, enrolment: input.standardIds != nil || input.enrolmentId != nil ? input : nil)
    }

    public func setPayee(_ reference: String, _ input: PayeeInput) throws -> ClaimView {
        try updateDraft(reference, input.fields, enrolment: nil)
    }

    /// Drafts only; a submitted claim is kept.
    public func deleteClaim(_ reference: String) throws {
        try database.write { db in
            let id = try self.resolveClaim(db, reference)
            try self.requireEditable(db, id)
            for material in try String.fetchAll(
                db, sql: "SELECT id FROM claim_material WHERE claim_id = ?", arguments: [id])
            {
                try self.database.table(.claimMaterial).delete(db, id: material)
                try db.execute(sql: "DELETE FROM material_upload WHERE material_id = ?", arguments: [material])
                try? FileManager.default.removeItem(at: self.vault.url(material))
            }
            try LocalEdit.delete(db, self.database.table(.claim), id: id)
        }
    }

    private func updateDraft(_ reference: String, _ changes: FieldMap, enrolment input: ClaimInput?) throws -> ClaimView
    {
        guard !changes.isEmpty else {
            throw ClientError.invalidInput(RuleViolation(field: "claim", message: "没有要修改的内容"))
        }
        // The view is read in the edit's own transaction: a second one (and resolving the
        // reference again) was a third of an edit through the API.
        return try database.write { db in
            let id = try self.resolveClaim(db, reference)
            let current = try self.requireEditable(db, id)
            var changes = changes
            if var input {
                let draft = ClaimDraft(fields: current.fields)
                input.claimType = input.claimType ?? draft.claimType
                input.standardIds = input.standardIds ?? draft.standardIds
                changes["enrolmentId"] = .string(try self.enrolmentFor(db, input: input))
            }
            try self.checkDraft(db, merged: current.fields.merging(changes) { _, new in new })
            // The row is loaded once per edit: the checks, the write and the view share it.
            let edited = try LocalEdit.edit(db, self.database.table(.claim), id: id, over: current, fields: changes)
            return try self.claimView(db, id: id, record: edited)
        }
    }

    /// The draft as it stands, if this account may still change it: the member until it is
    /// submitted; staff while they hold the case in cost entry or first review.
    @discardableResult
    func requireEditable(_ db: Database, _ id: String) throws -> VersionedRecord {
        guard let record = try database.table(.claim).load(db, id: id) else {
            throw ClientError.invalidInput(RuleViolation(field: "claim", message: "本机没有这件申领"))
        }
        if let account = try Self.account(db), account.role != .member {
            let state = record.fields["state"]?.stringValue.flatMap(CaseState.init(rawValue:)) ?? .draft
            let mine = record.fields["holderLogin"]?.stringValue == account.login
            let pendingAcceptance = record.fields["caseNumber"]?.stringValue == nil && state == .draft
            guard pendingAcceptance || (mine && (state == .accepted || state == .firstReview)) else {
                throw ClientError.invalidInput(
                    RuleViolation(
                        field: "claim",
                        message: mine
                            ? "案件当前状态为「\(state.chineseName)」，不能录入费用"
                            : "请先获取该案件（member-cli case acquire）"))
            }
            return record
        }
        // A draft stays editable after the server refused its submission (the trail says why).
        let submission = Self.int(record.fields["submission"]) ?? 0
        let handled = Self.int(record.fields["handledSubmission"]) ?? 0
        guard submission <= handled, record.fields["caseNumber"]?.stringValue == nil,
            (record.fields["state"]?.stringValue ?? CaseState.draft.rawValue) == CaseState.draft.rawValue
        else {
            throw ClientError.invalidInput(RuleViolation(field: "claim", message: "申领已提交，不能再修改"))
        }
        return record
    }

    /// Every field rule and the date rules against the chosen enrolment's protection period.
    func checkDraft(_ db: Database, merged fields: FieldMap) throws {
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) where SyncTable.claim.clientFields.contains(key) {
            do { try FieldRules.validate(table: .claim, field: key, value: value) } catch {
                throw ClientError.invalidInput(error)
            }
        }
        let draft = ClaimDraft(fields: fields)
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
        let period = try draft.enrolmentId.flatMap { try self.period(db, enrolmentId: $0) }
        do {
            if draft.claimType?.isHospitalStay == true, let admitted = draft.admitted {
                try ClaimDraftRules.checkStay(admitted: admitted, discharged: draft.discharged, today: today)
                try ClaimDraftRules.checkIncident(admitted, period: period, today: today, field: "admitted")
            } else if let incident = draft.incidentDate {
                try ClaimDraftRules.checkIncident(incident, period: period, today: today)
            }
        } catch {
            throw ClientError.invalidInput(error)
        }
    }

    func period(_ db: Database, enrolmentId: String) throws -> ProtectionPeriod? {
        guard let f = try database.table(.enrolment).load(db, id: enrolmentId, only: ["periodStart", "periodEnd"]),
            let start = f["periodStart"]?.stringValue.flatMap(CalendarDate.init),
            let end = f["periodEnd"]?.stringValue.flatMap(CalendarDate.init)
        else { return nil }
        return ProtectionPeriod(start: start, end: end)
    }

    /// The enrolment the chosen standards belong to: the given one, else the member's enrolment
    /// in that activity whose period holds the incident (or today).
    func enrolmentFor(_ db: Database, input: ClaimInput) throws -> String {
        func fail(_ message: String) -> ClientError {
            .invalidInput(RuleViolation(field: "standard", message: message))
        }
        let enrolments = try enrolmentViews(db)
        let chosen = Set(input.standardIds ?? [])
        let offering = enrolments.filter { e in
            chosen.isSubset(of: Set(e.standards.filter { $0.claimType == input.claimType?.rawValue }.map(\.id)))
        }
        guard !offering.isEmpty else {
            throw fail("所选申领标准与申领类型不符，或不在您的参保记录中（见 member-cli enrolments）")
        }
        if let wanted = input.enrolmentId {
            guard offering.contains(where: { $0.id == wanted }) else { throw fail("所选参保记录不提供这些申领标准") }
            return wanted
        }
        let date =
            CalendarDate(input.claimType?.isHospitalStay == true ? input.admitted ?? "" : input.incidentDate ?? "")
            ?? CalendarDate.today(in: CalendarDate.chinaTimeZone)
        let holding = offering.first { e in
            guard let s = CalendarDate(e.periodStart), let t = CalendarDate(e.periodEnd) else { return false }
            return ProtectionPeriod(start: s, end: t).contains(date)
        }
        return (holding ?? offering[0]).id
    }

    var vault: MaterialVault {
        MaterialVault(directory: home.appendingPathComponent("materials"), cipher: database.cipher)
    }
}

import Foundation
import GRDB
import MutualAidDomain

/// Staff work on cases from the replica: work pools, acceptance, cost entry, calculation.
extension MemberClient {
    /// The cases waiting at a step, from the local replica (sync first for the latest).
    public func pool(_ step: PoolStep, filter: PoolFilter = PoolFilter()) throws -> [PoolCase] {
        try database.read { db in
            let enrolments = Dictionary(
                uniqueKeysWithValues: try self.database.table(.enrolment).all(db).map { ($0.id, $0.fields) })
            return try self.database.table(.claim).all(db).compactMap { id, f -> PoolCase? in
                let state = f["state"]?.stringValue.flatMap(CaseState.init(rawValue:)) ?? .draft
                let holder = f["holderLogin"]?.stringValue
                guard
                    let tab = PoolTab.of(
                        state: state, suspendedFrom: f["suspendedFrom"]?.stringValue.flatMap(CaseState.init(rawValue:)),
                        holder: holder, step: step)
                else { return nil }
                let e = f["enrolmentId"]?.stringValue.flatMap { enrolments[$0] } ?? [:]
                let row = PoolCase(
                    id: id, caseNumber: f["caseNumber"]?.stringValue, state: state.rawValue,
                    stateText: state.chineseName,
                    tab: tab.rawValue, claimType: f["claimType"]?.stringValue ?? "", amount: f["amount"]?.stringValue,
                    holder: holder, restricted: Self.int(f["restricted"]) == 1, unit: e["unitName"]?.stringValue,
                    insuredName: e["insuredName"]?.stringValue,
                    idNumber: e["idNumber"]?.stringValue.map(ResidentID.masked),
                    acceptedAt: f["acceptedAt"]?.stringValue)
                return Self.matches(row, f, e, filter) ? row : nil
            }.sorted { ($0.acceptedAt ?? "", $0.id) < ($1.acceptedAt ?? "", $1.id) }
        }
    }

    static func matches(_ row: PoolCase, _ claim: FieldMap, _ enrolment: FieldMap, _ filter: PoolFilter) -> Bool {
        if let tab = filter.tab, row.tab != tab.rawValue { return false }
        if let agency = filter.agency, claim["acceptedBy"]?.stringValue != agency { return false }
        if let unit = filter.unit, row.unit?.contains(unit) != true { return false }
        if let id = filter.idNumber, enrolment["idNumber"]?.stringValue?.uppercased() != id.uppercased() {
            return false
        }
        if let number = filter.caseNumber, row.caseNumber != number { return false }
        if let type = filter.claimType, row.claimType != type.rawValue { return false }
        if let holder = filter.holder, row.holder != holder { return false }
        let accepted = row.acceptedAt.flatMap { CalendarDate(String($0.prefix(10))) }
        if let from = filter.acceptedFrom, accepted.map({ $0 < from }) ?? true { return false }
        if let to = filter.acceptedTo, accepted.map({ $0 > to }) ?? true { return false }
        return true
    }

    /// The enrolments of a person, looked up by ID number in the replica (申领受理).
    public func enrolments(idNumber: String) throws -> [EnrolmentView] {
        try database.read { db in
            let ids = Set(
                try self.database.table(.enrolment).all(db)
                    .filter { $0.fields["idNumber"]?.stringValue?.uppercased() == idNumber.uppercased() }.map(\.id))
            return try self.enrolmentViews(db).filter { ids.contains($0.id) }
        }
    }

    /// A new case accepted by staff; the server issues its number at the next sync.
    public func acceptCase(idNumber: String, _ input: ClaimInput) throws -> String {
        do { try ResidentID.validate(idNumber) } catch { throw ClientError.invalidInput(error) }
        let candidates = try enrolments(idNumber: idNumber)
        guard !candidates.isEmpty else {
            throw ClientError.invalidInput(RuleViolation(field: "idNumber", message: "本机没有该身份证号码的参保记录（请先同步）"))
        }
        let id = UUID().uuidString.lowercased()
        try database.write { db in
            var fields = input.fields
            // Only this person's enrolments; the standards must be offered by one of them.
            let offering = candidates.filter { e in
                Set(input.standardIds ?? []).isSubset(
                    of: Set(e.standards.filter { $0.claimType == input.claimType?.rawValue }.map(\.id)))
                    && (input.enrolmentId == nil || input.enrolmentId == e.id)
            }
            guard !offering.isEmpty else {
                throw ClientError.invalidInput(RuleViolation(field: "standard", message: "此人的参保记录中没有所选申领类型的这些申领标准"))
            }
            var chosen = input
            chosen.enrolmentId =
                chosen.enrolmentId ?? offering.first { e in
                    guard let date = CalendarDate(input.admitted ?? input.incidentDate ?? ""),
                        let s = CalendarDate(e.periodStart), let t = CalendarDate(e.periodEnd)
                    else { return false }
                    return ProtectionPeriod(start: s, end: t).contains(date)
                }?.id ?? offering[0].id
            fields["enrolmentId"] = .string(try self.enrolmentFor(db, input: chosen))
            try self.checkDraft(db, merged: fields)
            try LocalEdit.upsert(db, self.database.table(.claim), id: id, fields: fields)
            try db.execute(
                sql: "UPDATE claim SET created_at = ? WHERE id = ?", arguments: [self.database.clock.iso8601, id])
        }
        return id
    }

    /// Cost entry: one settlement sheet (医保结算单).
    public func addSettlement(_ reference: String, _ sheet: SettlementSheetInput) throws -> String {
        let sheetId = UUID().uuidString.lowercased()
        try database.write { db in
            let claimId = try self.resolveClaim(db, reference)
            try self.requireEditable(db, claimId)
            var fields = sheet.fields
            fields["claimId"] = .string(claimId)
            for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
                do { try FieldRules.validate(table: .settlementSheet, field: key, value: value) } catch let error
                    as RuleViolation
                {
                    throw ClientError.invalidInput(error)
                }
            }
            guard CalculationInputs.sheet(fields) != nil else {
                throw ClientError.invalidInput(RuleViolation(field: "admitted", message: "结算单须填写入院和出院日期"))
            }
            try LocalEdit.upsert(db, self.database.table(.settlementSheet), id: sheetId, fields: fields)
        }
        return sheetId
    }

    /// The benefit table computed here with the shared engine: an estimate until the server's
    /// own calculation arrives. Extra sheets (not saved) serve a member's what-if estimate.
    public func estimate(_ reference: String, extraSheets: [SettlementSheetInput] = []) throws -> BenefitView {
        try database.read { db in
            let id = try self.resolveClaim(db, reference)
            guard let claim = try self.database.table(.claim).load(db, id: id)?.fields else {
                throw ClientError.io("本机没有这件申领")
            }
            let draft = ClaimDraft(fields: claim)
            let enrolment = try draft.enrolmentId.flatMap {
                try self.database.table(.enrolment).load(db, id: $0)?.fields
            }
            let sheets = try self.database.table(.settlementSheet).all(db, where: "claim_id = ?", arguments: [id]).map(
                \.fields)
            // The rule in force on the claim's incident or admission date, as the server uses.
            let ruleDate = StandardVersions.ruleDate(claim: claim)
            let standards = try draft.standardIds.compactMap { sid -> ClaimStandard? in
                guard let base = try self.database.table(.claimStandard).load(db, id: sid)?.fields else { return nil }
                let versions = try self.database.table(.claimStandardVersion).all(
                    db, where: "standard_id = ?", arguments: [sid]
                ).map(\.fields)
                return CalculationInputs.standard(
                    id: sid, StandardVersions.resolve(base: base, versions: versions, on: ruleDate))
            }
            let grades = try self.grades(db)
            let accepted = claim["acceptedAt"]?.stringValue.flatMap(UTCStamp.date)
            let filed = CalendarDate.today(in: CalendarDate.chinaTimeZone, now: accepted ?? self.database.clock.now())
            do {
                let facts = try CalculationInputs.facts(
                    claim: claim, enrolment: enrolment, sheets: sheets + extraSheets.map(\.fields),
                    grades: grades, filingDate: filed)
                return BenefitView(try BenefitCalculator.calculate(standards: standards, facts: facts), estimate: true)
            } catch let error as RuleViolation {
                throw ClientError.invalidInput(error)
            }
        }
    }

    /// The catalogue's disability grade table as last pulled.
    func grades(_ db: Database) throws -> [DisabilityGrade] {
        try database.table(.disabilityGrade).all(db).compactMap { CalculationInputs.grade($0.fields) }
    }

    /// The server's benefit table as last pulled, if any.
    public func calculatedBenefit(_ reference: String) throws -> BenefitView? {
        try database.read { db in try self.calculatedBenefit(db, id: try self.resolveClaim(db, reference)) }
    }

    func calculatedBenefit(_ db: Database, id: String) throws -> BenefitView? {
        try calculatedBenefit(
            db, id: id, amount: try database.table(.claim).load(db, id: id, only: ["amount"])?["amount"])
    }

    /// The benefit lines with the claim's amount as their total; nil before any line is written.
    func calculatedBenefit(_ db: Database, id: String, amount: FieldValue?) throws -> BenefitView? {
        do {
            let lines = try self.database.table(.benefitLine).all(db, where: "claim_id = ?", arguments: [id]).map {
                _, f in
                BenefitLineView(
                    standard: f["standardName"]?.stringValue ?? "", standardId: f["standardId"]?.stringValue ?? "",
                    baseAmount: f["baseAmount"]?.stringValue ?? "0.00", baseDays: Self.int(f["baseDays"]),
                    shares: Self.int(f["shares"]) ?? 0,
                    ratio: PercentText.format(basisPoints: Self.int(f["ratioBp"]) ?? 0),
                    benefit: f["benefit"]?.stringValue ?? "0.00", note: f["note"]?.stringValue)
            }
            guard !lines.isEmpty, let amount = amount?.stringValue else { return nil }
            return BenefitView(lines: lines, total: amount, estimate: false)
        }
    }
}

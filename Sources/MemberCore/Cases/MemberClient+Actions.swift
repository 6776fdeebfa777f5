import Foundation
import GRDB
import MutualAidDomain

extension MemberClient {
    /// Records a staff action and, unless offline, syncs at once. An action the server refused
    /// (another reviewer acquired the case first, an illegal step) fails with its reason; it is
    /// also kept in `status` as a rejected change.
    public func act(
        _ references: [String], _ request: CaseRequest, online: Bool = true,
        options: SyncOptions = SyncOptions()
    ) async throws -> ActionOutcome {
        // A case this device has not seen yet: fetch it first when a link is there.
        let known = try database.read { db in references.allSatisfy { (try? self.resolveClaim(db, $0)) != nil } }
        if !known && online {
            do { _ = try await sync(options) } catch ClientError.unreachable {}
        }
        let changes = try database.write { db in
            try references.map { reference in
                let claimId = try self.resolveClaim(db, reference)
                return try LocalEdit.upsert(
                    db, self.database.table(.caseAction), id: UUID().uuidString.lowercased(),
                    fields: request.fields(claimId: claimId))
            }
        }
        return try await settle(changes, online: online, options: options)
    }

    /// Syncs and reports whether the given changes (or changes to the given records) were refused.
    func settle(_ changeIds: [String], records: [String] = [], online: Bool, options: SyncOptions = SyncOptions())
        async throws -> ActionOutcome
    {
        guard online else { return .queued }
        var reached = true
        do {
            _ = try await sync(options)
        } catch ClientError.unreachable {
            reached = false  // the push may still have been answered before the link dropped
        }
        let reasons = try database.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT reason FROM rejected_change
                    WHERE change_id IN (SELECT value FROM json_each(?)) OR record_id IN (SELECT value FROM json_each(?))
                    """, arguments: [ClaimDraft.encodeStandardIds(changeIds), ClaimDraft.encodeStandardIds(records)])
        }
        if !reasons.isEmpty {
            throw ClientError.server(status: 409, code: "action_refused", message: reasons.joined(separator: "；"))
        }
        let pending = try database.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM outbox WHERE record_id IN (SELECT value FROM json_each(?))",
                arguments: [ClaimDraft.encodeStandardIds(records)]) ?? 0
        }
        return reached && pending == 0 ? .done : .queued
    }

    /// Cost entry on the claim record itself (incident, payee), then sync.
    public func enterCosts(_ reference: String, _ input: CostEntryInput, online: Bool = true) async throws
        -> ActionOutcome
    {
        let fields = input.fields
        let change = try database.write { db in
            let id = try self.resolveClaim(db, reference)
            let current = try self.requireEditable(db, id)
            let merged = current.fields.merging(fields) { _, new in new }
            try self.checkDraft(db, merged: merged)
            // The server's rule, checked before the edit is queued: a grade from the table, or a
            // ratio with its reason.
            if !Set(["disabilityGrade", "disabilityRatioBp", "disabilityRatioReason"]).isDisjoint(with: fields.keys) {
                let grades = try self.grades(db)
                do { _ = try CostEntry.disabilityRatio(claim: merged, grades: grades) } catch let error as RuleViolation
                {
                    throw ClientError.invalidInput(error)
                }
            }
            return try LocalEdit.upsert(db, self.database.table(.claim), id: id, fields: fields)
        }
        return try await settle([change], online: online)
    }

    /// Syncs the changes an earlier call made to these records (an acceptance, a settlement
    /// sheet) and reports the server's refusal if there was one.
    public func syncChanges(records: [String], online: Bool = true) async throws -> ActionOutcome {
        try await settle([], records: records, online: online)
    }
}

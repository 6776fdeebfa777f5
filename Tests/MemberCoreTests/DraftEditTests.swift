import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import TestSupport
import Testing

@testable import MemberCore

/// A draft edit loads the claim row once and builds its returned view from the row as written:
/// that view must be the one a fresh read gives, sealed payee fields and clocks included.
@Suite struct DraftEditTests {
    let fixture = SyncFixture()

    /// A client holding one enrolment whose period covers the last year, and its standard.
    func member() throws -> MemberClient {
        let client = try fixture.client()
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
        let entry = FeedEntry.fromServer
        let entries = [
            entry(
                1, "enrolment", "e-1",
                [
                    "memberId": .string("m-001"), "unitName": .string("单位"), "insuredName": .string("张伟"),
                    "relation": .string("本人"), "activityId": .string("act-1"), "activityName": .string("住院互助"),
                    "periodStart": .string(today.adding(days: -300).description),
                    "periodEnd": .string(today.adding(days: 60).description), "shares": .int(1),
                ]),
            entry(
                2, "claim_standard", "std-1",
                ["activityId": .string("act-1"), "claimType": .string("hospitalization"), "name": .string("住院")]),
        ]
        try client.database.write { db in
            try PullApplier.apply(entries, cursor: 2, database: client.database, db)
        }
        return client
    }

    /// That client with a hospital-stay draft admitted nine days ago.
    func memberWithDraft() throws -> (MemberClient, ClaimView) {
        let client = try member()
        let admitted = CalendarDate.today(in: CalendarDate.chinaTimeZone).adding(days: -9)
        let draft = try client.newClaim(
            ClaimInput(claimType: .hospitalization, standardIds: ["std-1"], admitted: admitted.description))
        return (client, draft)
    }

    @Test func theViewAnEditReturnsIsTheStoredClaim() throws {
        defer { fixture.removeHome() }
        let (client, draft) = try memberWithDraft()
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
        var edited = try client.editClaim(draft.id, ClaimInput(hospital: "市第一医院", diagnosis: "肺炎"))
        #expect(edited.hospital == "市第一医院")
        #expect(edited == (try client.claim(draft.id)))
        // Sealed fields, a changed date and a re-chosen enrolment go through the same path.
        edited = try client.setPayee(draft.id, PayeeInput(mobile: "13912345678", bankAccount: "6222020200112233445"))
        #expect(edited.payee.bankAccount == "6222020200112233445")
        #expect(edited == (try client.claim(draft.id)))
        edited = try client.editClaim(
            draft.id,
            ClaimInput(
                standardIds: ["std-1"], admitted: today.adding(days: -5).description,
                discharged: today.adding(days: -1).description))
        #expect(edited.days == 4)  // nights in hospital
        #expect(edited == (try client.claim(draft.id)))
        let stored = try client.database.read { db in
            try String.fetchOne(db, sql: "SELECT payee_bank_account FROM claim WHERE id = ?", arguments: [draft.id])
        }
        #expect(stored?.hasPrefix("enc1:") == true)
        // Reading only some fields opens the sealed ones as a whole load does; an unknown name is an error.
        let some = try client.database.read { db in
            try client.database.table(.claim).load(db, id: draft.id, only: ["payeeBankAccount", "hospital"])
        }
        #expect(some == ["payeeBankAccount": .string("6222020200112233445"), "hospital": .string("市第一医院")])
        #expect(throws: (any Error).self) {
            try client.database.read { db in try client.database.table(.claim).load(db, id: draft.id, only: ["nope"]) }
        }
        // newClaim, then three edits: four outbox entries.
        #expect(try client.status().pendingChanges == 4)
    }

    @Test func aRefusedEditChangesNothing() throws {
        defer { fixture.removeHome() }
        let (client, draft) = try memberWithDraft()
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
        #expect(throws: ClientError.self) {
            try client.editClaim(draft.id, ClaimInput(discharged: today.adding(days: -20).description))
        }
        #expect(try client.claim(draft.id) == draft)
        #expect(try client.status().pendingChanges == 1)
    }

    /// A claim is named by its id, its case number or 8+ characters of its id (in either case),
    /// each found by an index; a prefix two claims share, a short one or a `LIKE` wildcard names none.
    @Test func aClaimIsNamedByIdCaseNumberOrPrefix() throws {
        defer { fixture.removeHome() }
        let (client, draft) = try memberWithDraft()
        let entry = FeedEntry.fromServer
        try client.database.write { db in
            try PullApplier.apply(
                [
                    entry(
                        3, "claim", "abcdef01-1",
                        ["caseNumber": .string("SL20261201001"), "state": .string("accepted")]),
                    entry(4, "claim", "abcdef01-2", ["state": .string("accepted")]),
                ], cursor: 4, database: client.database, db)
        }
        #expect(try client.claim(draft.id).id == draft.id)
        #expect(try client.claim(String(draft.id.prefix(8)).uppercased()).id == draft.id)
        #expect(try client.claim("SL20261201001").id == "abcdef01-1")
        #expect(try client.claim("abcdef01-2").id == "abcdef01-2")
        for unnamed in ["abcdef01", String(draft.id.prefix(7)), "%%%%%%%%", "________", "SL2026120100"] {
            #expect(throws: ClientError.self, "\(unnamed)") { try client.claim(unnamed) }
        }
        let plan = try client.database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id FROM claim WHERE case_number = ?", arguments: ["x"])
                .map { $0["detail"] as String? ?? "" }
        }
        #expect(plan.contains { $0.contains("claim_by_case_number") }, "\(plan)")
    }
}

import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage
import Testing

@testable import MemberCore
@testable import SyncServer

/// Server-owned writes always win and never vanish: actions queued offline and pushed in one
/// batch share one server time, and a device clock may run up to a day ahead; the case must
/// still end as the last action says, with a trail line for each thing that happened.
@Suite struct ServerWriteTests {
    static func day(_ offset: Int) -> String {
        CalendarDate.today(in: CalendarDate.chinaTimeZone).adding(days: offset).description
    }

    /// A settlement sheet for the claims `CaseActionTests.acceptedClaim` makes (stay −5 … −1).
    static func sheet(_ claim: String, inScope: String = "1728.59", pooled: String = "1015.73") -> FieldMap {
        [
            "claimId": .string(claim), "hospital": .string("商洛市中心医院"), "admitted": .string(day(-5)),
            "discharged": .string(day(-1)), "inScope": .string(inScope), "pooled": .string(pooled),
            "deductible": .string("600.00"), "largeAmount": .string("0.00"),
        ]
    }

    /// The shared engine's figure for the claim as the server holds it, with one sheet.
    static func expectedAmount(_ server: TestServer, claim: String, sheet: FieldMap) async throws -> String {
        try await server.store.database.read { db in
            let c = try #require(try ClaimTable().load(db, recordId: claim)).record.fields
            let enrolment = try RowTable(spec: .enrolment).load(db, recordId: "e-m-002-1")?.record.fields
            let standard = try #require(
                try RowTable(spec: .claimStandard).load(db, recordId: "std-staff-med")
                    .flatMap { CalculationInputs.standard(id: "std-staff-med", $0.record.fields) })
            let filed = CalendarDate.today(
                in: CalendarDate.chinaTimeZone, now: Timestamp.parse(c["acceptedAt"]!.stringValue!)!)
            let facts = try CalculationInputs.facts(
                claim: c, enrolment: enrolment, sheets: [sheet], grades: [], filingDate: filed)
            return try BenefitCalculator.calculate(standards: [standard], facts: facts).total.description
        }
    }

    /// Acquire, card change and one to four rounds of acquire, suspend, resume queued offline and
    /// pushed as one batch, 30 times; every other round also ends by acquiring again, and from
    /// round 10 on the device's clock runs 23 hours ahead of the server's (and it edits the payee
    /// with that clock, which the card change after it must still beat).
    @Test func anOfflineAcquireSuspendResumeBatchEndsAsTheLastActionSays() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let claim = try await CaseActionTests.acceptedClaim(server)
        var agent = try await StaffDevice(server, login: "sz-agent", clientId: "sz-offline")
        let toReview = try await agent.push([
            agent.change("settlement_sheet", UUID().uuidString.lowercased(), Self.sheet(claim)),
            agent.action(claim, "submit-costs"),
        ])
        #expect(toReview.allApplied, "\(toReview.reasons)")
        var before = try await ClaimRow.read(server, claim)
        #expect(before.state == "first-review" && before.holder == nil && before.amount == "79.00")

        for round in 0..<30 {
            if round == 10 { agent.aheadMillis = 23 * 3_600_000 }
            let account = "62220202\(String(format: "%011d", 10_000 + round))"
            var batch = [
                agent.action(claim, "acquire"),
                agent.change("claim", claim, ["payeeBankAccount": .string("6222000000000000000")]),
                agent.action(
                    claim, "card-change",
                    [
                        "bankAccount": .string(account), "bankName": .string("中国银行"),
                        "note": .string("第\(round)次"),
                    ]),
            ]
            // Several suspensions in one batch, so writes often fall in the same millisecond.
            let suspensions = 1 + round % 4
            for _ in 0..<suspensions {
                batch += [
                    agent.action(claim, "acquire"), agent.action(claim, "suspend", ["note": .string("等待医院回函")]),
                    agent.action(claim, "resume"),
                ]
            }
            let holdsAtEnd = round % 2 == 1
            if holdsAtEnd { batch.append(agent.action(claim, "acquire")) }
            let results = try await agent.push(batch)
            #expect(results.allApplied, "round \(round): \(results.reasons)")

            let after = try await ClaimRow.read(server, claim)
            #expect(after.state == "first-review", "round \(round)")
            #expect(after.suspendedFrom == nil, "round \(round)")
            #expect(after.holder == (holdsAtEnd ? "sz-agent" : nil), "round \(round)")
            #expect(after.bankAccount == account, "round \(round): the card change lost to the device's own edit")
            #expect(after.amount == "79.00")
            // A trail line for each thing that happened, and for nothing else.
            var expectedSteps = ["卡号修改"]
            for _ in 0..<suspensions { expectedSteps += ["悬挂", "取消悬挂"] }
            let steps = Array(after.trail.dropFirst(before.trail.count))
            #expect(steps == expectedSteps, "round \(round)")
            before = after
        }
        // What the agent's and the member's devices pull agrees with the store.
        let staffView = try await agent.pull().entries.last { $0.table == "claim" && $0.recordId == claim }
        #expect(staffView?.fields["state"] == .string("first-review"))
        #expect(staffView?.fields["holderLogin"] == .string("sz-agent"))
        let member = try await StaffDevice(server, login: "lina", clientId: "lina-phone")
        let memberView = try await member.pull().entries.last { $0.table == "claim" && $0.recordId == claim }
        #expect(memberView?.fields["state"] == .string("first-review"))
        #expect(memberView?.fields["suspendedFrom"] == .null)
    }

    /// Acquire, cost entry (a settlement sheet) and submit-costs in one push, 30 times: each
    /// round first sends the case back to cost entry in the same batch, and changes the sheet,
    /// so each round's amount must be the one of its own sheet. From round 15 on the device's
    /// clock runs 23 hours ahead.
    @Test func anOfflineAcquireCostEntrySubmitBatchEndsSubmittedWithItsOwnFigure() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let claim = try await CaseActionTests.acceptedClaim(server)
        var agent = try await StaffDevice(server, login: "sz-agent", clientId: "sz-costs")
        let sheetId = UUID().uuidString.lowercased()
        var before = try await ClaimRow.read(server, claim)
        for round in 0..<30 {
            if round == 15 { agent.aheadMillis = 23 * 3_600_000 }
            let sheet = Self.sheet(claim, inScope: Money(cents: 172_859 + Int64(round) * 1_037).description)
            var batch: [Change] = []
            if round > 0 {
                batch += [
                    agent.action(claim, "acquire"),
                    agent.action(
                        claim, "review",
                        [
                            "decision": .string("back"),
                            "note": .string("结算单有误"),
                        ]),
                ]
            }
            batch += [
                agent.action(claim, "acquire"), agent.change("settlement_sheet", sheetId, sheet),
                agent.action(claim, "submit-costs"),
            ]
            let results = try await agent.push(batch)
            #expect(results.allApplied, "round \(round): \(results.reasons)")

            let after = try await ClaimRow.read(server, claim)
            let expected = try await Self.expectedAmount(server, claim: claim, sheet: sheet)
            if round == 0 { #expect(expected == "79.00") }  // the manual's example: 112.86 × 70%
            #expect(after.state == "first-review", "round \(round)")
            #expect(after.holder == nil, "round \(round)")
            #expect(after.amount == expected, "round \(round)")
            #expect(after.lines == 1)
            let steps = Array(after.trail.dropFirst(before.trail.count))
            if round == 0 {
                #expect(steps == ["申领计算", "费用录入"])
            } else {
                #expect(steps == ["申领初审", "计算结果作废", "申领计算", "费用录入"], "round \(round)")
            }
            before = after
        }
    }

    /// A server write that cannot take (here a clock put in the store behind the server's back
    /// that sorts after anything the rule makes) aborts the whole push: no trail line, no audit
    /// row, no feed entry, no recorded answer, so the device simply sends it again later.
    @Test func aServerWriteThatDidNotApplyAbortsItsPush() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let claim = try await CaseActionTests.acceptedClaim(server)
        var agent = try await StaffDevice(server, login: "sz-agent", clientId: "sz-abort")
        try await server.store.database.write { db in
            var clocks = try FlatJSON.decodeClocks(
                try db.fetchValue(String.self, sql: "SELECT clocks FROM claim WHERE id = ?", arguments: [claim]) ?? "{}"
            )
            clocks["holderLogin"] = "~"
            try db.execute(
                sql: "UPDATE claim SET clocks = ? WHERE id = ?", arguments: [FlatJSON.encode(clocks), claim])
        }
        let before = try await ClaimRow.read(server, claim)
        let fingerprint = try await server.storeFingerprint()
        let batch = [agent.action(claim, "release")]
        await #expect(throws: (any Error).self) { try await agent.push(batch) }
        let after = try await ClaimRow.read(server, claim)
        #expect(after.holder == "sz-agent" && after.trail == before.trail)
        #expect(try await server.storeFingerprint() == fingerprint)
        let audits = try await server.store.database.read { db in
            try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM case_action")
        }
        #expect(audits == 0)
    }
}

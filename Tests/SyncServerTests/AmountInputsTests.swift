import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage
import Testing

@testable import MemberCore
@testable import SyncServer

/// The amount always matches its inputs: a changed input voids it (and its lines) at once, and
/// every step that relies on it has the server calculate again; the disability ratio comes from
/// the catalogue's grade table; members cannot write cost entry.
@Suite struct AmountInputsTests {
    typealias W = ServerWriteTests

    @Test func aChangedSheetOrIncidentVoidsTheAmountAndTheStepsRecalculate() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let claim = try await CaseActionTests.acceptedClaim(server)
        var agent = try await StaffDevice(server, login: "sz-agent", clientId: "sz-1")
        let member = try await StaffDevice(server, login: "lina", clientId: "lina-1")

        // Submitting costs without a sheet: refused, saying what is missing.
        let early = try await agent.push([agent.action(claim, "submit-costs")])
        #expect(early.first?.status == .rejected)
        #expect(early.first?.reason?.contains("不能执行「费用录入」") == true, "\(early.reasons)")
        #expect(early.first?.reason?.contains("医保结算单") == true, "\(early.reasons)")

        let sheetId = UUID().uuidString.lowercased()
        let calculated = try await agent.push([
            agent.change("settlement_sheet", sheetId, W.sheet(claim)), agent.action(claim, "calculate"),
        ])
        #expect(calculated.allApplied, "\(calculated.reasons)")
        var row = try await ClaimRow.read(server, claim)
        #expect(row.amount == "79.00" && row.lines == 1)
        let staffCursor = try await agent.pull().cursor
        let memberCursor = try await member.pull().cursor

        // A changed sheet: amount and lines go in the same push, and both feeds say so.
        let changed = W.sheet(claim, pooled: "1000.00")
        #expect(try await agent.push([agent.change("settlement_sheet", sheetId, changed)]).allApplied)
        row = try await ClaimRow.read(server, claim)
        #expect(row.amount == nil && row.lines == 0)
        #expect(row.trail.last == "计算结果作废")
        for (who, feed) in [
            ("staff", try await agent.pull(after: staffCursor).entries),
            ("member", try await member.pull(after: memberCursor).entries),
        ] {
            #expect(
                feed.contains { $0.table == "claim" && $0.recordId == claim && $0.fields["amount"] == .null }, "\(who)")
            #expect(
                feed.contains {
                    $0.table == "benefit_line" && $0.op == .delete && $0.recordId == "\(claim)/std-staff-med"
                }, "\(who)")
        }

        // submit-costs calculates again: the figure of the changed sheet, by the shared engine.
        #expect(try await agent.push([agent.action(claim, "submit-costs")]).allApplied)
        row = try await ClaimRow.read(server, claim)
        let expected = try await W.expectedAmount(server, claim: claim, sheet: changed)
        #expect(expected != "79.00")
        #expect(row.state == "first-review" && row.amount == expected && row.lines == 1)

        // In first review the incident changes (a later discharge) and the review pass
        // calculates again before it moves the case on.
        let later = try await agent.push([
            agent.action(claim, "acquire"),
            agent.change("claim", claim, ["discharged": .string(W.day(-2))]),
        ])
        #expect(later.allApplied, "\(later.reasons)")
        row = try await ClaimRow.read(server, claim)
        #expect(row.amount == nil && row.lines == 0)
        let sheetBack = try await agent.push([
            agent.change("settlement_sheet", sheetId, W.sheet(claim)),
            agent.action(claim, "review", ["decision": .string("pass"), "note": .string("同意")]),
        ])
        #expect(sheetBack.allApplied, "\(sheetBack.reasons)")
        row = try await ClaimRow.read(server, claim)
        #expect(row.state == "second-review")
        #expect(row.amount == "79.00" && row.lines == 1)
        let baseDays = try await server.store.database.read { db in
            try db.fetchValue(
                Int.self, sql: "SELECT base_days FROM benefit_line WHERE claim_id = ?", arguments: [claim])
        }
        #expect(baseDays == 3)  // −5 … −2: the changed incident is the one calculated
        _ = member
    }

    /// A claim for accidental disability accepted by the agent.
    static func disabilityClaim(_ agent: inout StaffDevice, extra: FieldMap = [:]) async throws -> (
        String, [ChangeResult]
    ) {
        let id = UUID().uuidString.lowercased()
        var fields: FieldMap = [
            "claimType": .string("accident-disability"), "enrolmentId": .string("e-m-002-1"),
            "standardIds": .string(#"["std-staff-disability"]"#), "incidentDate": .string(W.day(-10)),
        ]
        fields.merge(extra) { _, new in new }
        return (id, try await agent.push([agent.change("claim", id, fields)]))
    }

    @Test func theDisabilityRatioComesFromTheGradeTableOrAnExplicitRatioWithAReason() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        // The table is catalogue data: a changed row is what the calculation uses.
        try await server.store.putDisabilityGrade(
            DisabilityGrade(itemName: "九级伤残", grade: 9, ratioBasisPoints: 2_500), now: Date())
        var agent = try await StaffDevice(server, login: "sz-agent", clientId: "sz-2")
        let (claim, accepted) = try await Self.disabilityClaim(&agent)
        #expect(accepted.allApplied, "\(accepted.reasons)")
        let graded = try await agent.push([
            agent.change("claim", claim, ["disabilityGrade": .int(9), "disabilityItem": .string("手指缺失")]),
            agent.action(claim, "calculate"),
        ])
        #expect(graded.allApplied, "\(graded.reasons)")
        let line = {
            try await server.store.database.read { db in
                try db.fetchOne(
                    sql: "SELECT ratio_bp, benefit FROM benefit_line WHERE claim_id = ?", arguments: [claim])
            }
        }
        var stored = try await line()
        #expect(try stored?["ratio_bp"] == 2_500)
        #expect(try stored?["benefit"] == "5000.00")  // 20000 × 25% × 1 share

        // An unknown grade and an explicit ratio without a reason are refused, and change nothing.
        let refused = try await agent.push([
            agent.change("claim", claim, ["disabilityGrade": .int(11)]),
            agent.change("claim", claim, ["disabilityRatioBp": .int(4_000)]),
        ])
        #expect(refused.map(\.status) == [.rejected, .rejected])
        #expect(refused[0].reason?.contains("伤残等级表中没有11级") == true, "\(refused.reasons)")
        #expect(refused[1].reason?.contains("说明理由") == true, "\(refused.reasons)")
        #expect(try await ClaimRow.read(server, claim).amount == "5000.00")

        // 未定级 40%, with its reason: taken, the old amount voided, and the trail says why.
        let unrated = try await agent.push([
            agent.change(
                "claim", claim,
                [
                    "disabilityGrade": .null, "disabilityRatioBp": .int(4_000),
                    "disabilityRatioReason": .string("未定级"),
                ])
        ])
        #expect(unrated.allApplied, "\(unrated.reasons)")
        #expect(try await ClaimRow.read(server, claim).amount == nil)
        #expect(try await agent.push([agent.action(claim, "submit-costs")]).allApplied)
        stored = try await line()
        #expect(try stored?["ratio_bp"] == 4_000)
        #expect(try stored?["benefit"] == "8000.00")
        let notes = try await server.store.database.read { db in
            try db.fetchValues(
                String.self,
                sql: "SELECT note FROM claim_trail WHERE claim_id = ? AND note IS NOT NULL", arguments: [claim])
        }
        #expect(notes.contains { $0.contains("40.00%") && $0.contains("未定级") }, "\(notes)")
    }

    @Test func membersCannotWriteCostEntry() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let claim = try await CaseActionTests.acceptedClaim(server)
        var member = try await StaffDevice(server, login: "lina", clientId: "lina-2")
        let before = try await server.storeFingerprint()
        let results = try await member.push([
            member.change("settlement_sheet", UUID().uuidString.lowercased(), W.sheet(claim)),
            member.change(
                "claim", claim, ["disabilityRatioBp": .int(10_000), "disabilityRatioReason": .string("我说的")]),
            // Nor on a draft of their own, where they may write everything else.
            member.change(
                "claim", UUID().uuidString.lowercased(),
                [
                    "claimType": .string("accident-disability"),
                    "disabilityGrade": .int(1),
                ]),
        ])
        #expect(results.map(\.status) == [.rejected, .rejected, .rejected])
        #expect(results[0].reason == CostEntry.sheetRefusal)
        #expect(results[1].reason == CostEntry.memberRefusal)
        #expect(results[2].reason == CostEntry.memberRefusal)
        let after = try await server.storeFingerprint()
        #expect(after[1] == before[1] && after[2...] == before[2...])  // no feed entry, nothing else changed
        let sheets = try await server.store.database.read { db in
            try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM settlement_sheet")
        }
        #expect(sheets == 0)
    }
}

import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage
import Testing

@testable import MemberCore
@testable import SyncServer

/// Issue 10, items 8 and 9: members see only what is theirs to see, and secrets and deleted
/// drafts do not linger.
@Suite struct MemberViewTests {
    /// Every entry of the account's feed, page by page.
    static func pullAll(_ server: TestServer, token: String) async throws -> [FeedEntry] {
        var entries: [FeedEntry] = []
        var cursor: Int64 = 0
        for _ in 0..<100 {
            let page = try await server.api(token: token).get(
                "/v1/sync/pull", query: [("after", String(cursor))],
                as: PullResponse.self)
            entries += page.changes
            cursor = page.cursor
            if !page.hasMore { break }
        }
        return entries
    }

    /// The record as a replica holds it after applying `entries`: every field of the table,
    /// null where nothing arrived.
    static func replica(_ entries: [FeedEntry], table: SyncTable, id: String) -> FieldMap {
        var fields = FieldMap()
        for field in table.fields { fields[field.name] = .null }
        for entry in entries where entry.table == table.name && entry.recordId == id {
            fields.merge(entry.fields) { _, new in new }
        }
        return fields
    }

    @Test func membersReceiveNoStaffOnlyContentAndTheirChecksumsAgree() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let claim = try await CaseActionTests.acceptedClaim(server)  // held by sz-agent, for 李娜 (unit-001)
        let agent = try await server.login("sz-agent")
        let note = "疑似重复申领，内部核查"
        let marked = try await server.api(token: agent.token).post(
            "/v1/sync/push",
            PushRequest(
                clientId: "sz",
                changes: [
                    CaseActionTests.action(1, client: "sz", claim: claim, "restrict", ["note": .string(note)])
                ]), as: PushResponse.self)
        #expect(marked.results.first?.status == .applied, "\(marked.results.first?.reason ?? "")")

        for login in ["sz-agent", "unit001"] {  // staff: the agency, and the unit clerk of 李娜's unit
            let session = try await server.login(login)
            let staff = try await Self.pullAll(server, token: session.token)
            let staffClaim = Self.replica(staff, table: .claim, id: claim)
            #expect(staffClaim["holderLogin"] == .string("sz-agent"), "\(login)")
            #expect(staffClaim["restricted"] == .int(1), "\(login)")
            #expect(staff.contains { $0.table == "claim_trail" && $0.fields["note"] == .string(note) }, "\(login)")
        }

        for login in ["lina"] {
            let session = try await server.login(login)
            let entries = try await Self.pullAll(server, token: session.token)
            let mine = Self.replica(entries, table: .claim, id: claim)
            #expect(mine["state"] == .string("accepted"), "\(login)")
            #expect(mine["holderLogin"] == .null, "\(login)")
            #expect(mine["restricted"] == .null, "\(login)")
            #expect(
                !entries.contains { $0.fields["note"] == .string(note) || $0.clocks["holderLogin"] != nil }, "\(login)")
            let trail = entries.filter { $0.table == "claim_trail" && $0.fields["claimId"] == .string(claim) }
            #expect(trail.contains { $0.fields["step"] == .string("限制名单标记") }, "\(login)")  // the step, not its note
            // Their checksum hashes the same view their replica holds.
            for table in [SyncTable.claim, .claimTrail] {
                let page = try await server.api(token: session.token).get(
                    "/v1/sync/checksum", query: [("table", table.name), ("limit", "5000")], as: ChecksumPage.self)
                let ids = Set(entries.filter { $0.table == table.name }.map(\.recordId))
                #expect(Set(page.records.map(\.id)) == ids, "\(login) \(table.name)")
                for record in page.records {
                    #expect(
                        record.hash == RecordDigest.hash(Self.replica(entries, table: table, id: record.id)),
                        "\(login) \(table.name) \(record.id)")
                }
            }
        }
    }

    @Test func aDeletedDraftLeavesOnlyATombstoneInTheFeed() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let session = try await server.login("zhangwei")
        let api = server.api(token: session.token)
        let id = UUID().uuidString.lowercased()
        let created = try await api.post(
            "/v1/sync/push",
            PushRequest(
                clientId: "dev-d",
                changes: [
                    TrustBoundsTests.claimDraft(
                        1, client: "dev-d", id: id,
                        [
                            "claimType": .string("hospitalization"),
                            "diagnosis": .string("肺炎"), "hospital": .string("商洛市中心医院"),
                        ]),
                    TrustBoundsTests.claimDraft(2, client: "dev-d", id: id, ["payeeName": .string("张伟")]),
                ]), as: PushResponse.self)
        #expect(created.results.map(\.status) == [.applied, .applied])
        let deleted = try await api.post(
            "/v1/sync/push",
            PushRequest(
                clientId: "dev-d",
                changes: [
                    Change(
                        changeId: "dev-d:3", table: "claim", recordId: id, op: .delete, fields: [:],
                        hlc: TrustBoundsTests.stamp("dev-d", counter: 3))
                ]), as: PushResponse.self)
        #expect(deleted.results.first?.status == .applied, "\(deleted.results.first?.reason ?? "")")
        let rows = try await server.store.database.read { db in
            try db.fetchAll(
                sql: "SELECT op, fields, member_fields FROM change_feed WHERE record_id = ?", arguments: [id])
        }
        #expect(rows.count == 1)
        #expect(try (rows.first?["op"] as String?) == "delete")
        #expect(try (rows.first?["fields"] as String?) == "{}")
        let feed = try await Self.pullAll(server, token: session.token).filter { $0.recordId == id }
        #expect(feed.map(\.op) == [.delete])
    }

    @Test func anSMSKeepsItsSecretOnlyUntilDelivered() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        try await server.store.database.write { db in
            try SMSOutbox().send(to: "13912345678", text: "初始密码：Secret123abc", redacted: "初始密码：******", now: Date(), db)
        }
        let pending = try await server.store.smsMessages()
        #expect(pending.map(\.text) == ["初始密码：Secret123abc"])
        #expect(try await server.store.markSMSDelivered(ids: pending.map(\.id), now: Date()) == 1)
        #expect(try await server.store.markSMSDelivered(ids: pending.map(\.id), now: Date()) == 0)
        #expect(try await server.store.smsMessages().isEmpty)
        let kept = try await server.store.database.read { db in
            try db.fetchValues(String.self, sql: "SELECT text FROM sms_outbox")
        }
        #expect(kept == ["初始密码：******"])
        #expect(!kept.joined().contains("Secret123abc"))
    }

    @Test func anotherUnitsCoverIsNamedWithoutItsDatesAndANameMismatchIsRefused() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let (ownPath, otherPath, idNumber) = try await server.store.database.read { db in
            (
                try db.fetchValue(String.self, sql: "SELECT org_path FROM enrolment WHERE id = 'e-m-001-1'")!,
                try db.fetchValue(String.self, sql: "SELECT org_path FROM enrolment WHERE id = 'e-m-003-1'")!,
                try db.fetchValue(String.self, sql: "SELECT id_number FROM enrolment WHERE id = 'e-m-001-1'")!
            )
        }
        #expect(ownPath != otherPath)
        let today = CalendarDate.today(in: CalendarDate.chinaTimeZone)
        func check(_ path: String, activity: String, name: String, id: String) async throws -> String? {
            try await server.store.database.read { db in
                let lines = FieldValue.string(JSONText.encode([EnrolmentLine(activityId: activity, shares: 1)]))
                let app = ApplicationRecord(
                    id: "app-test",
                    stored: StoredRecord(
                        record: VersionedRecord(fields: ["lines": lines]),
                        orgPath: path))
                return try EnrolmentSubmission.checkPerson(
                    db,
                    [
                        "activityId": .string(activity), "name": .string(name),
                        "idNumber": .string(id), "mobile": .string("13912345678"),
                    ],
                    app: app, today: today)?.message
            }
        }
        let own = try #require(try await check(ownPath, activity: "act-staff-combo", name: "张伟", id: idNumber))
        #expect(own.contains("保障期至"))
        let other = try #require(try await check(otherPath, activity: "act-staff-combo", name: "张伟", id: idNumber))
        #expect(other.contains("其他单位"))
        #expect(other.unicodeScalars.allSatisfy { !("0"..."9").contains($0) })  // no dates
        #expect(!other.contains("商州") && !other.contains("城建"))  // no unit
        let mismatch = try #require(try await check(otherPath, activity: "act-accident", name: "王五", id: idNumber))
        #expect(mismatch.contains("姓名与清单不一致"))
        #expect(!mismatch.contains("张伟"))
        #expect(try await check(otherPath, activity: "act-accident", name: "张伟", id: idNumber) == nil)
    }
}

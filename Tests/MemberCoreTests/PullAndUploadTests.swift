import Crypto
import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import Testing

@testable import MemberCore

/// The pull and upload halves of a sync against the in-memory server.
@Suite struct PullAndUploadTests {
    let fixture = SyncFixture()

    @Test func pullFollowsThePagesAndTheCursor() async throws {
        defer { fixture.removeHome() }
        let client = try fixture.client()
        let stamp = "0000000000000001-00000-server"
        fixture.server.with { state in
            state.pullPageSize = 3
            state.feed = (1...7).map { seq in
                FeedEntry(
                    seq: Int64(seq * 10), table: "enrolment", recordId: "e-\(seq)", op: .upsert,
                    fields: ["memberId": .string("m-001"), "unitName": .string("单位\(seq)")],
                    clocks: ["memberId": stamp, "unitName": stamp])
            }
        }
        let report = try await client.sync()
        #expect(report.pulled == 7)
        #expect(
            fixture.server.with { $0.log } == [
                "GET /v1/sync/pull?after=0&limit=1000", "GET /v1/sync/pull?after=30&limit=1000",
                "GET /v1/sync/pull?after=60&limit=1000",
            ])
        let (rows, cursor) = try client.database.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM enrolment") ?? 0, try Meta.cursor.get(db))
        }
        #expect(rows == 7)
        #expect(cursor == "70")
        // The next sync asks only for what came after.
        fixture.server.with { $0.log = [] }
        #expect(try await client.sync().pulled == 0)
        #expect(fixture.server.with { $0.log } == ["GET /v1/sync/pull?after=70&limit=1000"])
        // A page that changes a stored record and names a new one twice: the stored record's
        // other fields stay, and the second entry merges into the row the first one wrote.
        let newer = "0000000000000002-00000-server"
        fixture.server.with { state in
            state.feed += [
                FeedEntry(
                    seq: 80, table: "enrolment", recordId: "e-1", op: .upsert,
                    fields: ["unitName": .string("新单位")], clocks: ["unitName": newer]),
                FeedEntry(
                    seq: 90, table: "enrolment", recordId: "e-8", op: .upsert,
                    fields: ["memberId": .string("m-001")], clocks: ["memberId": stamp]),
                FeedEntry(
                    seq: 100, table: "enrolment", recordId: "e-8", op: .upsert,
                    fields: ["unitName": .string("单位8")], clocks: ["unitName": stamp]),
            ]
        }
        #expect(try await client.sync().pulled == 3)
        let changed = try client.database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, member_id, unit_name FROM enrolment WHERE id IN ('e-1', 'e-8') ORDER BY id"
            )
            .map { "\($0["id"] as String) \($0["member_id"] as String? ?? "-") \($0["unit_name"] as String? ?? "-")" }
        }
        #expect(changed == ["e-1 m-001 新单位", "e-8 m-001 单位8"])
        // A page that deletes a record and then names it again: the new row starts empty and
        // keeps nothing of the deleted one.
        fixture.server.with { state in
            state.feed += [
                FeedEntry(seq: 110, table: "enrolment", recordId: "e-2", op: .delete, fields: [:], clocks: [:]),
                FeedEntry(
                    seq: 120, table: "enrolment", recordId: "e-2", op: .upsert,
                    fields: ["unitName": .string("重建")], clocks: ["unitName": newer]),
            ]
        }
        #expect(try await client.sync().pulled == 2)
        let recreated = try client.database.read { db in
            try Row.fetchOne(db, sql: "SELECT member_id, unit_name FROM enrolment WHERE id = 'e-2'")
                .map { "\($0["member_id"] as String? ?? "-") \($0["unit_name"] as String? ?? "-")" }
        }
        #expect(recreated == "- 重建")
    }

    @Test func anUploadCutMidChunkResumesInTheNextSyncAtTheServersOffset() async throws {
        defer { fixture.removeHome() }
        let (client, data) = try clientWithMaterial()
        // The second chunk breaks after 1000 bytes and the server stays out of reach.
        fixture.server.with { $0.cut = (patch: 2, keep: 1000, thenDown: true) }
        await #expect(throws: ClientError.self) { try await client.sync(SyncOptions(chunkSize: 4096)) }
        #expect(try client.status().pendingUploads == 1)
        #expect(
            try client.database.read { db in
                try String.fetchOne(db, sql: "SELECT upload_url FROM material_upload")
            } == "/v1/uploads/up-1")

        fixture.server.with {
            $0.down = false
            $0.log = []
        }
        let report = try await client.sync(SyncOptions(chunkSize: 4096))
        #expect(report.uploaded == 1)
        #expect(
            fixture.server.with { $0.log.filter { !$0.contains("/v1/sync/") } }
                == ["HEAD /v1/uploads/up-1", "PATCH /v1/uploads/up-1 @5096", "PATCH /v1/uploads/up-1 @9192"])
        #expect(fixture.server.with { $0.uploads["up-1"]?.bytes } == data)
        #expect(try client.status().pendingUploads == 0)
    }

    @Test func anUploadCutMidChunkResumesInTheSameSyncWhenTheServerAnswers() async throws {
        defer { fixture.removeHome() }
        let (client, data) = try clientWithMaterial()
        fixture.server.with { $0.cut = (patch: 2, keep: 1000, thenDown: false) }
        let report = try await client.sync(SyncOptions(chunkSize: 4096))
        #expect(report.uploaded == 1)
        #expect(
            fixture.server.with { $0.log.filter { $0.contains("/v1/uploads") } } == [
                "POST /v1/uploads", "PATCH /v1/uploads/up-1 @0", "PATCH /v1/uploads/up-1 @4096",
                "HEAD /v1/uploads/up-1", "PATCH /v1/uploads/up-1 @5096", "PATCH /v1/uploads/up-1 @9192",
            ])
        #expect(fixture.server.with { $0.uploads["up-1"]?.bytes } == data)
        #expect(fixture.server.with { $0.uploads["up-1"]?.materialId } == "mat-1")
    }

    /// A material of one chunk goes whole in the request that creates its upload: one request.
    @Test func aMaterialOfOneChunkTakesOneRequest() async throws {
        defer { fixture.removeHome() }
        let (client, data) = try clientWithMaterial()
        fixture.server.with { $0.takesFileInCreation = true }
        let report = try await client.sync(SyncOptions())
        #expect(report.uploaded == 1 && report.uploadedBytes == Int64(data.count))
        #expect(fixture.server.with { $0.log.filter { $0.contains("/v1/uploads") } } == ["POST /v1/uploads +10000"])
        #expect(fixture.server.with { $0.uploads["up-1"]?.bytes } == data)
        #expect(try client.status().pendingUploads == 0)
    }

    /// The whole file arrived but the answer was lost: the client does not send it blindly
    /// again; a creation without the file asks, is answered 409 (already there), and the
    /// material is done, its bytes sent once.
    @Test func aWholeFileWhoseAnswerIsLostIsAskedAboutNotSentAgain() async throws {
        defer { fixture.removeHome() }
        let (client, data) = try clientWithMaterial()
        fixture.server.with {
            $0.takesFileInCreation = true
            $0.creationAnswerLost = true
        }
        let report = try await client.sync(SyncOptions())
        #expect(report.uploaded == 1 && report.uploadedBytes == Int64(data.count))
        #expect(
            fixture.server.with { $0.log.filter { $0.contains("/v1/uploads") } }
                == ["POST /v1/uploads +10000", "POST /v1/uploads"])
        #expect(fixture.server.with { $0.uploads.count } == 1)
        #expect(try client.status().pendingUploads == 0)
    }

    /// A server that ignores a POST's body (older, or tus without creation-with-upload) answers
    /// offset 0: the client sends the file again with PATCH from there.
    @Test func aServerThatIgnoresTheFileInTheCreationGetsItByPatch() async throws {
        defer { fixture.removeHome() }
        let (client, data) = try clientWithMaterial()
        let report = try await client.sync(SyncOptions())
        #expect(report.uploaded == 1)
        #expect(
            fixture.server.with { $0.log.filter { $0.contains("/v1/uploads") } }
                == ["POST /v1/uploads +10000", "PATCH /v1/uploads/up-1 @0"])
        #expect(fixture.server.with { $0.uploads["up-1"]?.bytes } == data)
    }

    /// A recorded material of 10 000 bytes waiting for upload, as `attach` leaves it.
    private func clientWithMaterial() throws -> (MemberClient, Data) {
        let client = try fixture.client()
        let data = Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) })
        try client.vault.store(data, materialId: "mat-1")
        let fields: FieldMap = [
            "claimId": .string("c-1"), "item": .string("id-card"),
            "sha256": .string(RecordDigest.hex(SHA256.hash(data: data))),
            "bytes": .int(Int64(data.count)), "contentType": .string("application/pdf"),
        ]
        try client.database.write { db in
            try LocalEdit.upsert(db, client.database.table(.claimMaterial), id: "mat-1", fields: fields)
            try db.execute(sql: "INSERT INTO material_upload (material_id, done) VALUES ('mat-1', 0)")
        }
        return (client, data)
    }
}

import Crypto
import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage
import TestSupport

@testable import MemberCore
@testable import SyncServer

/// Materials with given bytes, uploads and PATCHes in any checksum algorithm, for the upload
/// tests that need more than UploadTests' one material per member.
enum UploadFixtures {
    /// A claim draft and a material of `data`, pushed under the change ids `<client>:<n>`.
    static func register(
        _ server: TestServer, _ session: LoginResponse, data: Data, client: String, contentType: String = "image/png"
    )
        async throws -> UploadTests.Registered
    {
        let sha = RecordDigest.hex(SHA256.hash(data: data))
        let claimId = UUID().uuidString.lowercased()
        let materialId = UUID().uuidString.lowercased()
        let hlc = HLCTimestamp(millis: Int64(Date().timeIntervalSince1970 * 1000), counter: 0, node: client).description
        let push = PushRequest(
            clientId: client,
            changes: [
                Change(
                    changeId: "\(client):1", table: "claim", recordId: claimId, op: .upsert,
                    fields: ["claimType": .string("hospitalization")], hlc: hlc),
                Change(
                    changeId: "\(client):2", table: "claim_material", recordId: materialId, op: .upsert,
                    fields: [
                        "claimId": .string(claimId), "item": .string("id-card"), "sha256": .string(sha),
                        "bytes": .int(Int64(data.count)), "contentType": .string(contentType),
                    ], hlc: hlc),
            ])
        let answer = try await server.api(token: session.token).post("/v1/sync/push", push, as: PushResponse.self)
        guard answer.results.map(\.status) == [.applied, .applied] else {
            throw SupportError("push refused: \(answer.results.map(\.reason))")
        }
        return UploadTests.Registered(claimId: claimId, materialId: materialId, data: data, sha: sha)
    }

    /// PNG-looking bytes from a seeded generator.
    static func png(_ count: Int, _ rng: inout SplitMix64) -> Data {
        var data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        data.reserveCapacity(count + 8)
        while data.count < count + 8 { withUnsafeBytes(of: rng.next()) { data.append(contentsOf: $0) } }
        return data.prefix(count + 8)
    }

    static func location(_ server: TestServer, _ token: String, _ r: UploadTests.Registered) async throws -> String {
        let created = try await UploadTests.create(server, token, r)
        guard created.status == 201, let location = created.header("location") else {
            throw SupportError("create: \(created.status)")
        }
        return location
    }

    static func checksum(_ algorithm: String, _ data: Data) -> String {
        let digest: Data
        switch algorithm {
        case "sha1": digest = Data(Insecure.SHA1.hash(data: data))
        case "md5": digest = Data(Insecure.MD5.hash(data: data))
        default: digest = Data(SHA256.hash(data: data))
        }
        return "\(algorithm) \(digest.base64EncodedString())"
    }

    /// A PATCH of `chunk` with `Upload-Checksum` of its bytes by `algorithm` (none when nil),
    /// or `checksum` as given.
    static func patch(
        _ server: TestServer, _ token: String, _ location: String, offset: Int, _ chunk: Data,
        algorithm: String? = "sha256", checksum: String? = nil
    ) async throws -> HTTPResponse {
        let sum = checksum ?? algorithm.map { Self.checksum($0, chunk) }
        return try await server.raw(
            "PATCH", location, token: token, body: chunk,
            headers: UploadTests.tus + [
                ("Content-Type", "application/offset+octet-stream"), ("Upload-Offset", String(offset)),
            ] + (sum.map { [("Upload-Checksum", $0)] } ?? []))
    }

    static func verified(_ server: TestServer, _ materialId: String) async throws -> Bool {
        try await server.store.database.read { db in
            try db.fetchValue(
                Int.self, sql: "SELECT verified FROM claim_material WHERE id = ?", arguments: [materialId]) == 1
        }
    }

}

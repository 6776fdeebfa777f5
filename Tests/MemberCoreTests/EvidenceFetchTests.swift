import Crypto
import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import TestSupport
import Testing

@testable import MemberCore

/// 材料查看 against an in-memory server: a reviewer's replica holds a case with two materials
/// (as a pull leaves them); the server answers GET /v1/materials/{id} — or answers wrong bytes,
/// or is down. What the real server does is covered end to end (EvidenceReviewTests); this
/// covers what only a fake can do honestly: a server that sends other bytes than recorded.
@Suite struct EvidenceFetchTests {
    /// Answers material downloads from `files`; `wrong` replaces a file's bytes in the answer.
    final class MaterialServer: HTTPTransport, @unchecked Sendable {
        struct State {
            var files: [String: Data] = [:]
            var wrong: [String: Data] = [:]
            var down = false
            var log: [String] = []
        }
        private let lock = NSLock()
        private var state = State()

        func with<T>(_ body: (inout State) throws -> T) rethrows -> T {
            lock.lock()
            defer { lock.unlock() }
            return try body(&state)
        }

        func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
            let path = URLComponents(string: request.url)?.path ?? ""
            let answer: Data?? = with { state in
                if state.down { return .none }
                state.log.append("\(request.method) \(path)")
                let id = String(path.dropFirst("/v1/materials/".count))
                return .some(state.wrong[id] ?? state.files[id])
            }
            guard let answer else { throw .unreachable("fake server is down") }
            guard request.method == "GET", path.hasPrefix("/v1/materials/"), let body = answer else {
                return HTTPResponse(
                    status: 404, headers: [:],
                    body: Data(#"{"error":{"code":"not_found","message":"材料不存在或无权查看"}}"#.utf8))
            }
            return HTTPResponse(status: 200, headers: [:], body: body)
        }
    }

    static let caseNumber = "CL26022026010500000007"
    let home = Scratch.directory("evidence")
    let server = MaterialServer()
    let files = [
        "mat-1": Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 13) }),
        "mat-2": Data([0xFF, 0xD8, 0xFF, 0xE0] + (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 5) }),
    ]

    /// A county agent's client whose replica holds the case as pulled from the server.
    func reviewer() throws -> MemberClient {
        let server = self.server
        let files = self.files
        server.with { $0.files = files }
        let client = try MemberClient(home: home, transport: { _ in server }, clock: SyncFixture.clock, faults: .none)
        let account = AccountInfo(
            id: "acc-9", login: "sz-agent", role: .agent, name: "周强", orgId: "sl-sz", orgName: "商州区总工会",
            level: .county, memberId: nil)
        let entry = FeedEntry.fromServer
        let entries = [
            entry(
                1, "claim", "c-1",
                [
                    "claimType": .string("hospitalization"), "caseNumber": .string(Self.caseNumber),
                    "state": .string("first-review"),
                ]),
            entry(
                2, "material_item", "mi-1",
                ["claimType": .string("hospitalization"), "item": .string("id-card"), "name": .string("身份证")]),
            entry(3, "claim_material", "mat-1", material("id-card", files["mat-1"]!, type: "application/pdf")),
            entry(4, "claim_material", "mat-2", material("bank-card", files["mat-2"]!, type: "image/jpeg")),
        ]
        let json = String(decoding: try JSONEncoder().encode(account), as: UTF8.self)
        try client.database.write { db in
            try Meta.serverURL.set(db, SyncFixture.serverURL)
            try Meta.token.set(db, try client.database.cipher.seal(text: "token-9"))
            try Meta.account.set(db, json)
            try PullApplier.apply(entries, cursor: 4, database: client.database, db)
        }
        return client
    }

    func material(_ item: String, _ data: Data, type: String) -> FieldMap {
        [
            "claimId": .string("c-1"), "item": .string(item),
            "sha256": .string(RecordDigest.hex(SHA256.hash(data: data))),
            "bytes": .int(Int64(data.count)), "contentType": .string(type), "verified": .int(1),
        ]
    }

    @Test func otherBytesFromTheServerAreRefusedAndNothingIsWritten() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let client = try reviewer()
        // Same length, one byte different: only the hash can tell.
        var forged = files["mat-1"]!
        forged[100] ^= 0x01
        server.with { $0.wrong["mat-1"] = forged }
        let out = Scratch.directory("evidence-out")
        let error = await #expect(throws: ClientError.self) {
            try await client.exportCaseMaterials(Self.caseNumber, to: out)
        }
        #expect(error?.code == "material_mismatch")
        #expect(error?.description.contains("SHA-256") == true && error?.description.contains("没有保存或写出任何文件") == true)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: out.path))?.isEmpty ?? true)
        #expect(!FileManager.default.fileExists(atPath: client.vault.url("mat-1").path))
        // bank-card (mat-2) sorts first and came through checked; it stays for the next run.
        #expect(try client.caseMaterials(Self.caseNumber).materials.map(\.fetched) == [true, false])

        // The server's honest answer afterwards is taken.
        server.with { $0.wrong = [:] }
        let export = try await client.exportCaseMaterials(Self.caseNumber, to: out)
        #expect(
            export.files.map { URL(fileURLWithPath: $0.path).lastPathComponent } == [
                "bank-card-1.jpg", "id-card-1.pdf",
            ])
        #expect(try Data(contentsOf: URL(fileURLWithPath: export.files[1].path)) == files["mat-1"])
        #expect(export.files.map(\.name) == ["bank-card", "身份证"])
    }

    @Test func fetchedFilesAreSealedReadOfflineAndADamagedCopyIsRefused() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let client = try reviewer()
        #expect(try client.caseMaterials(Self.caseNumber).materials.allSatisfy { !$0.fetched && $0.onServer })
        _ = try await client.fetchCaseMaterials(Self.caseNumber)
        #expect(server.with { $0.log } == ["GET /v1/materials/mat-2", "GET /v1/materials/mat-1"])
        let sealed = try Data(contentsOf: client.vault.url("mat-1"))
        #expect(sealed != files["mat-1"] && sealed.range(of: files["mat-1"]!.prefix(64)) == nil)

        server.with {
            $0.down = true
            $0.log = []
        }
        let out = Scratch.directory("evidence-offline")
        let export = try await client.exportCaseMaterials(Self.caseNumber, to: out)
        #expect(export.files.count == 2 && server.with { $0.log }.isEmpty)
        for file in export.files {
            let data = try Data(contentsOf: URL(fileURLWithPath: file.path))
            #expect(RecordDigest.hex(SHA256.hash(data: data)) == file.sha256 && data.count == file.bytes)
        }

        // A changed byte in the vault: refused, no file written, the copy dropped for a new fetch.
        var tampered = sealed
        tampered[tampered.count / 2] ^= 0x20
        try tampered.write(to: client.vault.url("mat-1"))
        let again = Scratch.directory("evidence-tampered")
        await #expect(throws: ClientError.self) { try await client.exportCaseMaterials(Self.caseNumber, to: again) }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: again.path))?.isEmpty ?? true)
        #expect(!FileManager.default.fileExists(atPath: client.vault.url("mat-1").path))
        server.with { $0.down = false }
        #expect(try await client.exportCaseMaterials(Self.caseNumber, to: again).files.count == 2)
        #expect(server.with { $0.log } == ["GET /v1/materials/mat-1"])
    }
}

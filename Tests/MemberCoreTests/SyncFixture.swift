import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import TestSupport

@testable import MemberCore

/// A member's client connected to a `FakeSyncServer`: the session is written into `meta` as
/// `connect` and `login` would leave it, so no server process is needed.
struct SyncFixture {
    static let serverURL = "https://sync.test"
    /// A fixed time: stamps written by the client can be compared exactly.
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let clock = ClientClock { now }

    let home = Scratch.directory("sync")
    let server = FakeSyncServer()

    /// A client of this data folder; several may be opened in turn (a restarted process).
    func client(faults: ClientFaults = .none, clock: ClientClock = Self.clock) throws -> MemberClient {
        let server = self.server
        let client = try MemberClient(home: home, transport: { _ in server }, clock: clock, faults: faults)
        let account = AccountInfo(
            id: "acc-1", login: "zhangwei", role: .member, name: "张伟", orgId: "unit-001",
            orgName: "单位", level: .member, memberId: "m-001")
        let json = String(decoding: try JSONEncoder().encode(account), as: UTF8.self)
        try client.database.write { db in
            try Meta.serverURL.set(db, Self.serverURL)
            try Meta.token.set(db, try client.database.cipher.seal(text: "token-1"))
            try Meta.account.set(db, json)
        }
        return client
    }

    func removeHome() { try? FileManager.default.removeItem(at: home) }

    static func clientId(_ client: MemberClient) throws -> String {
        try client.database.read { db in try LocalClock.clientId(db) }
    }
}

extension FeedEntry {
    /// A server-written upsert whose fields all carry one early server stamp.
    static func fromServer(_ seq: Int64, _ table: String, _ id: String, _ fields: FieldMap) -> FeedEntry {
        FeedEntry(
            seq: seq, table: table, recordId: id, op: .upsert, fields: fields,
            clocks: fields.mapValues { _ in "0000000000000001-00000-server" })
    }
}

/// Stands in for SIGKILL at a crash point: the sync stops right there.
struct SimulatedCrash: Error {}

extension PullApplier {
    /// Feed entries as the server sends them, applied as one page read into slots.
    static func apply(_ entries: [FeedEntry], cursor: Int64, database: ClientDatabase, _ db: Database) throws {
        try apply(
            PulledPage(PullResponse(changes: entries, cursor: cursor, hasMore: false)), database: database, db)
    }
}

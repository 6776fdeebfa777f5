import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage

@testable import MemberCore
@testable import SyncServer

/// A staff (or member) device working offline: it stamps its changes with its own hybrid
/// clock, which may run ahead of the server's, and pushes a whole batch at once.
struct StaffDevice {
    let server: TestServer
    let token: String
    let clientId: String
    var clock: HybridLogicalClock
    var sequence = 0
    /// How far the device's wall clock runs ahead of the server's.
    var aheadMillis: Int64 = 0

    init(_ server: TestServer, login: String, clientId: String) async throws {
        self.init(server, token: try await server.login(login).token, clientId: clientId)
    }

    /// A device of a session already open (another instance, the same account).
    init(_ server: TestServer, token: String, clientId: String, clock: HybridLogicalClock? = nil) {
        self.server = server
        self.token = token
        self.clientId = clientId
        self.clock = clock ?? HybridLogicalClock(node: clientId)
    }

    mutating func change(_ table: String, _ recordId: String, _ fields: FieldMap, op: ChangeOp = .upsert) -> Change {
        sequence += 1
        let stamp = clock.tick(nowMillis: Int64(Date().timeIntervalSince1970 * 1000) + aheadMillis)
        return Change(
            changeId: "\(clientId):\(sequence)", table: table, recordId: recordId, op: op, fields: fields,
            hlc: stamp.description)
    }

    mutating func action(_ claim: String, _ name: String, _ extra: FieldMap = [:]) -> Change {
        var fields: FieldMap = ["claimId": .string(claim), "action": .string(name)]
        fields.merge(extra) { _, new in new }
        return change("case_action", UUID().uuidString.lowercased(), fields)
    }

    func push(_ changes: [Change]) async throws -> [ChangeResult] {
        try await server.api(token: token).post(
            "/v1/sync/push", PushRequest(clientId: clientId, changes: changes),
            as: PushResponse.self
        ).results
    }

    /// Every feed entry after `cursor`, page by page; returns them and the new cursor.
    func pull(after cursor: Int64 = 0) async throws -> (entries: [FeedEntry], cursor: Int64) {
        var entries: [FeedEntry] = []
        var cursor = cursor
        while true {
            let page = try await server.api(token: token).get(
                "/v1/sync/pull", query: [("after", String(cursor)), ("limit", "500")],
                as: PullResponse.self)
            entries += page.changes
            cursor = page.cursor
            if !page.hasMore { return (entries, cursor) }
        }
    }
}

/// The stored claim, read straight from the server's database.
struct ClaimRow {
    let state: String?, holder: String?, amount: String?, suspendedFrom: String?, bankAccount: String?
    let lines: Int
    let trail: [String]

    static func read(_ server: TestServer, _ id: String) async throws -> ClaimRow {
        try await server.store.database.read { db in
            let row = try db.fetchOne(sql: "SELECT * FROM claim WHERE id = ?", arguments: [id])!
            return ClaimRow(
                state: try row["state"], holder: try row["holder_login"], amount: try row["amount"],
                suspendedFrom: try row["suspended_from"], bankAccount: try row["payee_bank_account"],
                lines: try db.fetchValue(
                    Int.self,
                    sql: "SELECT COUNT(*) FROM benefit_line WHERE claim_id = ?", arguments: [id]) ?? -1,
                trail: try db.fetchValues(
                    String.self,
                    // In the order the steps were written: their first place in the feed.
                    sql: """
                        SELECT step FROM claim_trail t WHERE claim_id = ?
                        ORDER BY (SELECT MIN(seq) FROM change_feed f WHERE f.tbl = 'claim_trail' AND f.record_id = t.id)
                        """,
                    arguments: [id]))
        }
    }
}

extension [ChangeResult] {
    var allApplied: Bool { allSatisfy { $0.status == .applied } }
    var reasons: [String] { map { $0.reason ?? "" } }
}

import Foundation
import MutualAidDomain
import SyncProtocol

public struct VerifyReport: Sendable, Codable {
    public struct Difference: Sendable, Codable, Equatable {
        /// How a record differs; the raw values are the `verify --json` output.
        public enum Kind: String, Sendable, Codable {
            /// The server has it, this device not.
            case missing
            /// This device has it, the server not.
            case extra
            /// Both have it, not equal.
            case different

            public var chineseName: String {
                switch self {
                case .missing: "本机缺少"
                case .extra: "服务器没有"
                case .different: "内容不同"
                }
            }
        }

        public var table: String
        public var recordId: String
        public var kind: Kind
    }
    public var ok: Bool
    public var pendingChanges: Int
    public var tables: [String: Int]
    public var differences: [Difference]
}

extension MemberClient {
    /// Compares the replica with the server's checksum of what this account may see, and names
    /// every record that differs.
    public func verify() async throws -> VerifyReport {
        let api = try api()
        let remote = try await api.get("/v1/sync/checksum", as: ChecksumResponse.self)
        let local = try database.read { db in
            (
                tables: try self.database.tables.filter { $0.spec.audience != .writeOnly }.map { table in
                    (
                        name: table.spec.name,
                        hashes: try table.all(db).map { RecordHash(id: $0.id, hash: RecordDigest.hash($0.fields)) }
                    )
                }, pending: try Outbox.count(db)
            )
        }
        var differences: [VerifyReport.Difference] = []
        var counts: [String: Int] = [:]
        for table in remote.tables {
            counts[table.table] = table.count
            let hashes = local.tables.first { $0.name == table.table }?.hashes ?? []
            // Equal digests: nothing to name. Otherwise fetch that table's hashes page by page.
            if hashes.count == table.count, RecordDigest.tableDigest(hashes) == table.digest { continue }
            let mine = Dictionary(hashes.map { ($0.id, $0.hash) }, uniquingKeysWith: { a, _ in a })
            var theirs: [String: String] = [:]
            var after = ""
            while true {
                let page = try await api.get(
                    "/v1/sync/checksum", query: [("table", table.table), ("after", after), ("limit", "2000")],
                    as: ChecksumPage.self)
                for record in page.records { theirs[record.id] = record.hash }
                guard let next = page.next, next > after else { break }
                after = next
            }
            for (id, hash) in theirs.sorted(by: { $0.key < $1.key }) {
                if let m = mine[id] {
                    if m != hash { differences.append(.init(table: table.table, recordId: id, kind: .different)) }
                } else {
                    differences.append(.init(table: table.table, recordId: id, kind: .missing))
                }
            }
            for id in mine.keys.sorted() where theirs[id] == nil {
                differences.append(.init(table: table.table, recordId: id, kind: .extra))
            }
        }
        return VerifyReport(
            ok: differences.isEmpty, pendingChanges: local.pending, tables: counts, differences: differences)
    }
}

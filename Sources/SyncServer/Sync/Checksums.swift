import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// What `verify` compares: per table a count and a digest of what the account may see, and on
/// request the records' hashes a page at a time. Computed a page at a time too, so a large
/// scope never sits in memory whole.
extension SQLCaseStore {
    static let checksumBatch = 1_000

    public func checksum(for principal: Principal) async throws -> ChecksumResponse {
        try await database.read { db in
            let tables = try Self.checksummedTables.map { table in
                var digest = RecordDigest.TableHasher()
                var after = ""
                while true {
                    let page = try Self.hashes(table, db, for: principal, after: after, limit: Self.checksumBatch)
                    for hash in page { digest.add(hash) }
                    guard page.count == Self.checksumBatch, let last = page.last else { break }
                    after = last.id
                }
                return TableChecksum(table: table.spec.name, count: digest.count, digest: digest.finish())
            }
            return ChecksumResponse(tables: tables)
        }
    }

    /// One table's record hashes after `after`, at most `limit`; `next` is set while more follow.
    public func checksumPage(
        for principal: Principal, table name: String, after: String,
        limit: Int
    ) async throws -> ChecksumPage? {
        guard let table = Self.checksummedTables.first(where: { $0.spec.name == name }) else { return nil }
        return try await database.read { db in
            let page = try Self.hashes(table, db, for: principal, after: after, limit: limit + 1)
            let records = Array(page.prefix(limit))
            return ChecksumPage(table: name, records: records, next: page.count > limit ? records.last?.id : nil)
        }
    }

    static let checksummedTables = ServerTables.all.filter { $0.spec.audience != .writeOnly }

    /// Members hash the member view: the fields they never receive count as empty.
    private static func hashes(
        _ table: any ServerTable, _ db: any SQLConnection, for principal: Principal, after: String,
        limit: Int
    ) throws -> [RecordHash] {
        let memberView = !principal.role.readsStaffContent && table.spec.hasStaffOnlyContent
        return try table.recordPage(db, in: principal.scope, after: after, limit: limit).map { record in
            RecordHash(
                id: record.id,
                hash: RecordDigest.hash(memberView ? table.spec.memberChecksumView(record.fields) : record.fields))
        }
    }
}

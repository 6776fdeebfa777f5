import GRDB
import MutualAidDomain

/// A synced record as the server holds it, with where it sits in the organisation tree.
struct StoredRecord {
    var record: VersionedRecord
    var orgPath: String
    var memberId: String?
}

/// How one synced table is read and written in the SQLite store. The push and pull
/// machinery is generic; a table only says where its rows live.
protocol ServerTable: Sendable {
    var spec: SyncTable { get }
    func load(_ db: Database, recordId: String) throws -> StoredRecord?
    func save(_ db: Database, recordId: String, _ record: VersionedRecord) throws
    /// Every record the scope may see, as synced fields, for checksums.
    func records(_ db: Database, in scope: Scope) throws -> [(id: String, fields: FieldMap)]
}

extension ServerTable {
    /// Who may push to a record: its member for member-only tables, else staff over its subtree
    /// and the member it belongs to.
    func mayWrite(_ principal: Principal, _ stored: StoredRecord) -> Bool {
        if principal.role == .member {
            return principal.memberId != nil && stored.memberId == principal.memberId
        }
        return !spec.memberOnly && principal.scope.contains(orgPath: stored.orgPath)
    }
}

enum ServerTables {
    static let all: [any ServerTable] = [ProfileTable()]

    static func named(_ name: String) -> (any ServerTable)? { all.first { $0.spec.name == name } }
}

import Foundation
import MutualAidDomain
import SyncStorage

/// A synced record as the server holds it, with where it sits in the organisation tree.
struct StoredRecord {
    var record: VersionedRecord
    /// Empty for catalogue records, which everyone sees.
    var orgPath: String
    var memberId: String?
    /// A member's private draft: not in staff feeds yet.
    var isPrivate: Bool = false
}

/// How one synced table is read and written in the SQLite store. Push and pull are generic;
/// a table says where its rows live and which writes its business rules allow.
protocol ServerTable: Sendable {
    var spec: SyncTable { get }
    /// The SQL table holding the records: the spec's name, except where a table lives in
    /// another (profiles in `member`).
    var storageTable: String { get }
    func load(_ db: any SQLConnection, recordId: String) throws -> StoredRecord?
    func save(_ db: any SQLConnection, recordId: String, _ record: VersionedRecord) throws
    /// Every record the scope may see, as synced fields, for checksums.
    func records(_ db: any SQLConnection, in scope: Scope) throws -> [(id: String, fields: FieldMap)]
    /// The same, `limit` at a time in id order after `after`, so checksums never hold a whole table.
    func recordPage(_ db: any SQLConnection, in scope: Scope, after: String, limit: Int) throws -> [(
        id: String, fields: FieldMap
    )]
    /// A new record from a client's first change, or a violation; only for `clientCreates` tables.
    func create(_ db: any SQLConnection, recordId: String, change: Change, by principal: Principal) throws -> Result<
        StoredRecord, RuleViolation
    >
    /// Business rules on a change to an existing record (a submitted claim is read-only, …).
    func checkWrite(_ db: any SQLConnection, _ stored: StoredRecord, change: Change, by principal: Principal) throws
        -> RuleViolation?
    func delete(_ db: any SQLConnection, recordId: String) throws
}

/// A table with work that follows each applied change (a complete submission is accepted, a
/// staff acceptance completed, …). A push applies changes to such a table one at a time, each
/// in its own savepoint; changes to any other table are checked and merged in memory, a run of
/// them saved once (`RecordRun`).
protocol FollowUpWork: ServerTable {
    func afterApply(_ db: any SQLConnection, recordId: String, by principal: Principal, now: Date) throws
}

extension ServerTable {
    var storageTable: String { spec.name }

    func create(_ db: any SQLConnection, recordId: String, change: Change, by principal: Principal) throws -> Result<
        StoredRecord, RuleViolation
    > {
        .failure(ServerTables.notFound)
    }
    func checkWrite(_ db: any SQLConnection, _ stored: StoredRecord, change: Change, by principal: Principal) throws
        -> RuleViolation?
    { nil }
    func delete(_ db: any SQLConnection, recordId: String) throws {}

    /// Who may push to a record: its member for member tables; staff over their subtree for
    /// records that are not member-only; for an addressed record (a message) only its
    /// recipient. Nobody pushes to the catalogue.
    func mayWrite(_ principal: Principal, _ stored: StoredRecord) -> Bool {
        guard spec.audience != .everyone else { return false }
        if principal.role == .member {
            return principal.memberId != nil && stored.memberId == principal.memberId
        }
        if spec.audience == .addressed { return stored.memberId == nil && stored.orgPath == principal.orgPath }
        return !spec.memberOnly && !stored.isPrivate && principal.scope.contains(orgPath: stored.orgPath)
    }
}

enum ServerTables {
    /// One server table per `SyncTable`, in the same order: the registered implementation
    /// where a table has business rules, a plain `RowTable` for every other.
    static let all: [any ServerTable] = derived(from: SyncTable.all, registered: withRules)

    /// Tables with business rules of their own, found by their spec's name. A new synced table
    /// without rules needs nothing here.
    static let withRules: [any ServerTable] = [
        ProfileTable(),
        ClaimTable(),
        MaterialTable(),
        trail,
        SettlementTable(),
        CaseActionTable(),
        UnitTable(),
        ContactTable(),
        WorkActionTable(),
        ApplicationTable(),
        PersonTable(),
        ImportTable(),
        MessageTable(),
    ]

    static func derived(from specs: [SyncTable], registered: [any ServerTable]) -> [any ServerTable] {
        let byName = Dictionary(registered.map { ($0.spec.name, $0) }, uniquingKeysWith: { first, _ in first })
        return specs.map { byName[$0.name] ?? RowTable(spec: $0) }
    }

    /// A draft's trail (a refused submission) is the member's alone, like the draft.
    static let trail = RowTable(
        spec: .claimTrail, privateCondition: RowTable.ofDraftClaim(.claimTrail))

    static func named(_ name: String) -> (any ServerTable)? { all.first { $0.spec.name == name } }

    /// Missing and foreign records get the same answer, so ids cannot be probed.
    static let notFound = RuleViolation(field: "recordId", message: "记录不存在或无权修改")
}

import MutualAidDomain
import SyncStorage

extension ServerTable {
    /// Small tables (the profile: one row per member) page over their whole list.
    func recordPage(_ db: any SQLConnection, in scope: Scope, after: String, limit: Int) throws -> [(
        id: String, fields: FieldMap
    )] {
        Array(try records(db, in: scope).filter { $0.id > after }.sorted { $0.id < $1.id }.prefix(limit))
    }
}

extension RowBackedTable {
    func recordPage(_ db: any SQLConnection, in scope: Scope, after: String, limit: Int) throws -> [(
        id: String, fields: FieldMap
    )] {
        try rows.recordPage(db, in: scope, after: after, limit: limit)
    }
}

import MutualAidDomain
import SyncStorage

/// A table whose records are the rows of one `RowTable`: it adds only its business rules
/// (who may create, what a write may change, what follows a change).
protocol RowBackedTable: ServerTable {
    var rows: RowTable { get }
}

extension RowBackedTable {
    var spec: SyncTable { rows.spec }
    func load(_ db: any SQLConnection, recordId: String) throws -> StoredRecord? {
        try rows.load(db, recordId: recordId)
    }
    func save(_ db: any SQLConnection, recordId: String, _ record: VersionedRecord) throws {
        try rows.save(db, recordId: recordId, record)
    }
    func records(_ db: any SQLConnection, in scope: Scope) throws -> [(id: String, fields: FieldMap)] {
        try rows.records(db, in: scope)
    }
    func delete(_ db: any SQLConnection, recordId: String) throws { try rows.delete(db, recordId: recordId) }
}

import GRDB
import MutualAidDomain

extension LocalEdit {
    /// A record this client has just made up the id of: nothing to load and merge first, which
    /// matters when an import writes twenty thousand list rows in one transaction.
    @discardableResult
    static func insert(_ db: Database, _ table: ReplicaTable, id: String, fields: FieldMap) throws -> String {
        let fields = FieldRules.normalized(table: table.spec, fields)
        let stamp = try LocalClock.tick(db, clock: table.clock)
        var record = VersionedRecord()
        record.merge(fields, stamp: stamp.description)
        try table.save(db, id: id, record)
        return try Outbox.record(
            db, cipher: table.cipher, clock: table.clock, table: table.spec, recordId: id,
            fields: fields, stamp: stamp)
    }
}

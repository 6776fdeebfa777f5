import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// A synced table in the replica: the shared `RowCodec` (rows keyed by `id`, one column per
/// field, a `clocks` JSON column for last-writer-wins) with sensitive fields sealed by the
/// store's key.
struct ReplicaTable: Sendable {
    let codec: RowCodec
    let cipher: FieldCipher
    /// The store's clock: local edits through this table are stamped with it.
    let clock: ClientClock

    init(spec: SyncTable, cipher: FieldCipher, clock: ClientClock) {
        self.cipher = cipher
        self.clock = clock
        codec = RowCodec(spec, sealing: cipher)
    }

    var spec: SyncTable { codec.spec }
    var layout: RowLayout { codec.layout }

    func load(_ db: Database, id: String) throws -> VersionedRecord? { try codec.load(SQLiteConnection(db), id: id) }

    /// The named fields of a row only; nil when there is no row.
    func load(_ db: Database, id: String, only names: [String]) throws -> FieldMap? {
        try codec.load(SQLiteConnection(db), id: id, only: names)
    }

    /// Writes the whole record (a pulled row): fields it lacks become NULL.
    func save(_ db: Database, id: String, _ record: VersionedRecord) throws {
        try codec.upsert(SQLiteConnection(db), id: id, record)
    }

    /// Writes pulled records the replica does not hold, in one statement: what taking each into
    /// an empty record gives (`VersionedRecord.takePulled`), without building those records.
    /// False when the replica held any of them (those rows are left as they were).
    func saveNew(_ db: Database, _ records: ArraySlice<PulledRecord>, clocksText: inout ClocksText) throws -> Bool {
        try codec.insertAllIfAbsent(SQLiteConnection(db), records, clocksText: &clocksText) { field, clock in
            VersionedRecord.pulled(field, clock: clock, winsOver: nil)
        }
    }

    /// The clocks of a row, without opening its sealed fields; nil when there is no row.
    func loadClocks(_ db: Database, id: String) throws -> [String: String]? {
        try codec.loadClocks(SQLiteConnection(db), id: id)
    }

    /// Writes the fields `record` holds and its clocks into an existing row; columns of fields
    /// it does not hold keep their values.
    func update(_ db: Database, id: String, _ record: VersionedRecord) throws {
        try codec.update(SQLiteConnection(db), id: id, record)
    }

    func delete(_ db: Database, id: String) throws { try codec.delete(SQLiteConnection(db), id: id) }

    func all(_ db: Database, where condition: String = "TRUE", arguments: SQLArguments = []) throws
        -> [(id: String, fields: FieldMap)]
    {
        try codec.all(SQLiteConnection(db), where: condition, arguments: arguments)
    }
}

extension FieldCipher: FieldSealing {}

extension ClientDatabase {
    func table(_ spec: SyncTable) -> ReplicaTable { ReplicaTable(spec: spec, cipher: cipher, clock: clock) }

    var tables: [ReplicaTable] { SyncTable.all.map(table) }
}

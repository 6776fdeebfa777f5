import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// Local changes waiting for the server. `record` is called inside the same transaction as
/// the data change; rows leave only when the server has answered for them. Payloads are
/// sealed: they carry the same personal data as the tables.
enum Outbox {
    /// Returns the change id the server will answer for.
    @discardableResult
    static func record(
        _ db: Database, cipher: FieldCipher, clock: ClientClock, table: SyncTable, recordId: String,
        op: ChangeOp = .upsert, fields: FieldMap, stamp: HLCTimestamp
    ) throws -> String {
        try db.cachedStatement(
            sql: """
                INSERT INTO outbox (tbl, record_id, op, fields, hlc, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            table.name, recordId, op.rawValue, try seal(fields, cipher), stamp.description,
            clock.iso8601,
        ])
        // The stamp comes from `LocalClock.tick`, whose node is this device's client id: no
        // second read of it (each edit's statements are most of its cost).
        return ChangeId.make(clientId: stamp.node, seq: db.lastInsertedRowID)
    }

    /// The oldest `limit` changes, with ids "clientId:seq".
    /// The oldest `limit` entries, those after entry `after` when given.
    static func pending(_ db: Database, cipher: FieldCipher, limit: Int, after: Int64 = 0) throws -> [Change] {
        let clientId = try LocalClock.clientId(db)
        // Columns by position: a lookup by name lowercases the name for every row.
        let sql = "SELECT seq, tbl, record_id, op, fields, hlc FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?"
        return try Row.fetchAll(db, sql: sql, arguments: [after, limit]).map { row in
            Change(
                changeId: ChangeId.make(clientId: clientId, seq: row[0]), table: row[1], recordId: row[2],
                op: ChangeOp(rawValue: row[3]) ?? .upsert, fields: try open(row[4], cipher), hlc: row[5])
        }
    }

    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0
    }

    /// What the server's answer to a batch did to the outbox.
    struct Counts: Sendable {
        var applied = 0
        var rejected = 0
        var reused = 0
    }

    /// Applies the server's answer: applied changes leave, rejected ones move to
    /// `rejected_change` with the reason. Changes the answer does not mention stay.
    static func acknowledge(
        _ db: Database, cipher: FieldCipher, clock: ClientClock, sent: [Change],
        results: [ChangeResult]
    ) throws -> Counts {
        let byId = Dictionary(sent.map { ($0.changeId, $0) }, uniquingKeysWith: { a, _ in a })
        var counts = Counts()
        var answered: [Int64] = []
        for result in results {
            guard let change = byId[result.changeId],
                let seq = ChangeId.parts(result.changeId)?.seq
            else { continue }
            // Not applied: the change stays, to go again under a new client id (`renumber`).
            if result.status == .changeIdReused {
                counts.reused += 1
                continue
            }
            if result.status == .rejected {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO rejected_change (change_id, tbl, record_id, fields, hlc, reason, rejected_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        change.changeId, change.table, change.recordId, try seal(change.fields, cipher),
                        change.hlc, result.reason ?? "服务器拒绝了该更改", clock.iso8601,
                    ])
                counts.rejected += 1
            } else {
                counts.applied += 1
            }
            answered.append(seq)
            // Write-only records (staff actions) have done their work once answered.
            if let table = SyncTable.named(change.table), table.audience == .writeOnly {
                try db.execute(sql: "DELETE FROM \(table.name) WHERE id = ?", arguments: [change.recordId])
            }
        }
        // Answered entries leave the outbox 100 at a time (one statement shape per size).
        for start in stride(from: 0, to: answered.count, by: 100) {
            let chunk = answered[start..<min(start + 100, answered.count)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let seqs: [(any DatabaseValueConvertible)?] = chunk.map { $0 }
            try db.cachedStatement(sql: "DELETE FROM outbox WHERE seq IN (\(marks))")
                .execute(arguments: StatementArguments(seqs))
        }
        return counts
    }

    /// The server has seen this device's change ids with other content: the data folder was
    /// restored from a backup and numbers its new edits as old ones. A new client id makes
    /// every waiting change new again; each is restamped with the new id as its clock node,
    /// in order, so the server accepts the stamps as this device's own.
    static func renumber(_ db: Database, clock: ClientClock) throws {
        try Meta.clientId.set(db, UUID().uuidString.lowercased())
        for seq in try Int64.fetchAll(db, sql: "SELECT seq FROM outbox ORDER BY seq") {
            let stamp = try LocalClock.tick(db, clock: clock)
            try db.execute(sql: "UPDATE outbox SET hlc = ? WHERE seq = ?", arguments: [stamp.description, seq])
        }
    }

    private static func seal(_ fields: FieldMap, _ cipher: FieldCipher) throws -> String {
        try cipher.seal(text: FlatJSON.encode(fields))
    }

    private static func open(_ text: String, _ cipher: FieldCipher) throws -> FieldMap {
        try FlatJSON.decodeFields(try cipher.open(text: text))
    }
}

/// A user's edit: the record changes and its outbox entry is written in the same transaction,
/// stamped by the device clock.
enum LocalEdit {
    /// Only the edited columns and the clocks are written: the other fields (sealed ones
    /// included) are neither opened nor sealed again.
    @discardableResult
    static func upsert(_ db: Database, _ table: ReplicaTable, id: String, fields: FieldMap) throws -> String {
        try write(db, table, id: id, clocks: try table.loadClocks(db, id: id), fields: fields).changeId
    }

    /// An edit of a row this transaction has already loaded: its clocks are not read again, and
    /// the record as now stored comes back, so the caller's view needs no second load.
    static func edit(_ db: Database, _ table: ReplicaTable, id: String, over current: VersionedRecord, fields: FieldMap)
        throws -> VersionedRecord
    {
        let (written, _) = try write(db, table, id: id, clocks: current.clocks, fields: fields)
        var record = current
        record.fields.merge(written.fields) { _, new in new }
        record.clocks = written.clocks
        return record
    }

    /// Writes the edited fields with their clocks, into the row whose clocks are given or as a
    /// new row when there are none, and the outbox entry for them.
    private static func write(
        _ db: Database, _ table: ReplicaTable, id: String, clocks: [String: String]?, fields: FieldMap
    ) throws -> (written: VersionedRecord, changeId: String) {
        let fields = FieldRules.normalized(table: table.spec, fields)
        let stamp = try LocalClock.tick(db, clock: table.clock)
        var record = VersionedRecord(fields: [:], clocks: clocks ?? [:])
        record.merge(fields, stamp: stamp.description)
        if clocks == nil { try table.save(db, id: id, record) } else { try table.update(db, id: id, record) }
        let changeId = try Outbox.record(
            db, cipher: table.cipher, clock: table.clock, table: table.spec, recordId: id,
            fields: fields, stamp: stamp)
        return (record, changeId)
    }

    static func delete(_ db: Database, _ table: ReplicaTable, id: String) throws {
        let stamp = try LocalClock.tick(db, clock: table.clock)
        try table.delete(db, id: id)
        try Outbox.record(
            db, cipher: table.cipher, clock: table.clock, table: table.spec, recordId: id, op: .delete,
            fields: [:], stamp: stamp)
    }
}

extension MemberClient {
    /// P1 of the benchmarks, the change capture alone: one field of a claim written with its
    /// clock and its sealed outbox entry in one transaction, without the draft checks and the
    /// view that `editClaim` adds around it.
    @_spi(Benchmark) public func captureClaimEdit(_ id: String, field: String, value: String) throws {
        try database.write { db in
            _ = try LocalEdit.upsert(db, self.database.table(.claim), id: id, fields: [field: .string(value)])
        }
    }
}

/// A push request ready to send: the outbox entries it carries and its encoded body.
struct OutboxBatch: Sendable {
    let changes: [Change]
    /// The request as it is sent, and the size of its JSON before packing (what the byte
    /// budget counts); the JSON itself is not kept, as a batch waits for its answer.
    let packed: RequestBody
    let jsonBytes: Int
    /// As many entries as were asked for (the outbox may hold more), none cut for bytes.
    let isFull: Bool
    /// The last entry's sequence number (its change id is "clientId:seq").
    var lastSeq: Int64 { changes.last.flatMap { $0.changeId.split(separator: ":").last.flatMap { Int64($0) } } ?? 0 }

    /// At most `limit` entries, and fewer when their request would pass `byteBudget` (the
    /// server refuses a body over `ProtocolVersion.maxBodyBytes` as sent; gzip never makes one
    /// of this size larger): large changes go in smaller batches instead of being refused.
    static func read(
        _ database: ClientDatabase, limit: Int, after: Int64,
        byteBudget: Int = ProtocolVersion.maxBodyBytes - 64 * 1024
    ) throws -> OutboxBatch {
        var (changes, clientId) = try database.read { db in
            (try Outbox.pending(db, cipher: database.cipher, limit: limit, after: after), try LocalClock.clientId(db))
        }
        var body = WireJSON.encode(PushRequest(clientId: clientId, changes: changes))
        while body.count > byteBudget, changes.count > 1 {
            changes.removeLast(changes.count / 2)
            body = WireJSON.encode(PushRequest(clientId: clientId, changes: changes))
        }
        return OutboxBatch(
            changes: changes, packed: RequestBody(json: body), jsonBytes: body.count, isFull: changes.count == limit)
    }
}

import MutualAidDomain

/// Request and response bodies of the sync routes (docs/sync-protocol.md, docs/openapi.json).

public struct PushRequest: Codable, Sendable {
    public var protocolVersion: Int
    public var clientId: String
    public var changes: [Change]

    public init(protocolVersion: Int = ProtocolVersion.current, clientId: String, changes: [Change]) {
        self.protocolVersion = protocolVersion
        self.clientId = clientId
        self.changes = changes
    }
}

public enum ChangeStatus: String, Codable, Sendable {
    case applied, rejected
    /// The change id was already used for a change with other content (a data folder restored
    /// from a backup reuses its numbers). Nothing was applied: the client takes a new client
    /// id and sends the change again under it.
    case changeIdReused = "change_id_reused"
}

public struct ChangeResult: Codable, Hashable, Sendable {
    public var changeId: String
    public var status: ChangeStatus
    /// Chinese, for the user; set when rejected.
    public var reason: String?
    /// True when the server had already handled this change id (a retried batch).
    public var replayed: Bool

    public init(changeId: String, status: ChangeStatus, reason: String? = nil, replayed: Bool = false) {
        self.changeId = changeId
        self.status = status
        self.reason = reason
        self.replayed = replayed
    }
}

public struct PushResponse: Codable, Sendable {
    public var results: [ChangeResult]
    public init(results: [ChangeResult]) { self.results = results }
}

/// One entry of a user's change feed: the record's synced fields after the change, and the
/// clock of each field so the client can merge last-writer-wins.
public struct FeedEntry: Codable, Hashable, Sendable {
    public var seq: Int64
    public var table: String
    public var recordId: String
    public var op: ChangeOp
    public var fields: FieldMap
    public var clocks: [String: String]

    public init(seq: Int64, table: String, recordId: String, op: ChangeOp, fields: FieldMap, clocks: [String: String]) {
        self.seq = seq
        self.table = table
        self.recordId = recordId
        self.op = op
        self.fields = fields
        self.clocks = clocks
    }
}

public struct PullResponse: Codable, Sendable {
    public var changes: [FeedEntry]
    /// Pass back as `after` for the next page.
    public var cursor: Int64
    public var hasMore: Bool

    public init(changes: [FeedEntry], cursor: Int64, hasMore: Bool) {
        self.changes = changes
        self.cursor = cursor
        self.hasMore = hasMore
    }
}

public struct TableChecksum: Codable, Hashable, Sendable {
    public var table: String
    public var count: Int
    public var digest: String
    /// Present when the request asked for detail (`detail=1`).
    public var records: [RecordHash]?

    public init(table: String, count: Int, digest: String) {
        self.table = table
        self.count = count
        self.digest = digest
        self.records = nil
    }

    public init(table: String, records: [RecordHash], includeRecords: Bool) {
        self.table = table
        self.count = records.count
        self.digest = RecordDigest.tableDigest(records)
        self.records = includeRecords ? records.sorted { $0.id < $1.id } : nil
    }
}

/// `GET /v1/sync/checksum?table=T&after=ID&limit=N`: one table's record hashes in id order.
public struct ChecksumPage: Codable, Sendable {
    public var table: String
    public var records: [RecordHash]
    /// Pass back as `after` for the next page; absent on the last one.
    public var next: String?
    public init(table: String, records: [RecordHash], next: String?) {
        self.table = table
        self.records = records
        self.next = next
    }
}

public struct ChecksumResponse: Codable, Sendable {
    public var tables: [TableChecksum]
    public init(tables: [TableChecksum]) { self.tables = tables }
}

public enum ChangeOp: String, Codable, Sendable {
    case upsert, delete
}

/// One local change. `changeId` is "clientId:seq" and is the key of exactly-once delivery.
public struct Change: Codable, Hashable, Sendable {
    public var changeId: String
    public var table: String
    public var recordId: String
    public var op: ChangeOp
    public var fields: FieldMap
    public var hlc: String

    public init(changeId: String, table: String, recordId: String, op: ChangeOp, fields: FieldMap, hlc: String) {
        self.changeId = changeId
        self.table = table
        self.recordId = recordId
        self.op = op
        self.fields = fields
        self.hlc = hlc
    }
}

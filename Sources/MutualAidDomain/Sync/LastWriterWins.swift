/// Per-field last-writer-wins by hybrid logical clock, used by the server when it applies a
/// push and by the client when it applies a pull. Clock texts sort like the clocks.
public struct VersionedRecord: Hashable, Sendable {
    public var fields: FieldMap
    public var clocks: [String: String]

    public init(fields: FieldMap = [:], clocks: [String: String] = [:]) {
        self.fields = fields
        self.clocks = clocks
    }

    /// Takes each incoming field whose clock is newer than the one held. Returns whether
    /// anything changed.
    @discardableResult
    public mutating func merge(_ incoming: FieldMap, clocks incomingClocks: [String: String]) -> Bool {
        var changed = false
        for (field, value) in incoming {
            guard let stamp = incomingClocks[field] else { continue }
            // A newer clock counts as a change even with the same value: the clock must be kept.
            if stamp > (clocks[field] ?? "") {
                fields[field] = value
                clocks[field] = stamp
                changed = true
            }
        }
        return changed
    }

    /// Whether a pulled field replaces the one held: a server field always (only the server
    /// writes it, so the feed's value is the value), a client field when its clock is newer (a
    /// missing or empty clock never is).
    public static func pulled(_ field: SyncField, clock: String?, winsOver held: String?) -> Bool {
        field.owner == .server || (clock ?? "") > (held ?? "")
    }

    /// Takes what a pulled entry may set, by `pulled(_:clock:winsOver:)`, for the fields of
    /// `layout`; a field the layout does not have is left out.
    public mutating func takePulled(_ incoming: FieldMap, clocks incomingClocks: [String: String], layout: [SyncField])
    {
        for field in layout {
            guard let value = incoming[field.name] else { continue }
            let clock = incomingClocks[field.name]
            guard Self.pulled(field, clock: clock, winsOver: clocks[field.name]) else { continue }
            fields[field.name] = value
            clocks[field.name] = clock
        }
    }

    /// All fields stamped with one clock: a local edit or a pushed change.
    @discardableResult
    public mutating func merge(_ incoming: FieldMap, stamp: String) -> Bool {
        merge(incoming, clocks: incoming.mapValues { _ in stamp })
    }
}

/// The checks every pushed change passes before it is applied, shared so the client can
/// refuse the same things before they ever reach the outbox.
public enum ChangeRules {
    /// How far ahead of the server's clock a change may be stamped. A device clock set far in
    /// the future would otherwise win every later conflict on the fields it touched.
    public static let maxClockSkewMillis: Int64 = 24 * 3600 * 1000

    /// A client id: what a device calls itself in change ids and clock stamps.
    public static let maxClientIdBytes = 64

    public static func isValidClientId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maxClientIdBytes
            && id.utf8.allSatisfy { Self.isIdByte($0) && $0 != UInt8(ascii: ":") }
    }

    /// "clientId:seq", at most 96 bytes of printable ASCII: it is stored and compared as given.
    public static func isValidChangeId(_ id: String, clientId: String) -> Bool {
        id.hasPrefix(clientId + ":") && id.utf8.count <= 96 && id.utf8.allSatisfy(Self.isIdByte)
    }

    /// Record ids are printable ASCII without spaces, so every store and both sides sort them alike.
    static func isIdByte(_ b: UInt8) -> Bool { b > 0x20 && b < 0x7F }

    /// The server's check: a change's clock must be its device's own (node = client id), so a
    /// stamp cannot carry unbounded text nor pose as another node (the server's writes included).
    public static func validate(_ change: Change, clientId: String, serverMillis: Int64) throws(RuleViolation) {
        try validate(change, serverMillis: serverMillis)
        guard HLCTimestamp(change.hlc)?.node == clientId else {
            throw RuleViolation(field: "hlc", message: "更改的时间戳不属于本设备，请升级 member-cli 后重新同步")
        }
    }

    public static func validate(_ change: Change, serverMillis: Int64) throws(RuleViolation) {
        try validate(change)
        if let stamp = HLCTimestamp(change.hlc), stamp.millis > serverMillis + maxClockSkewMillis {
            throw RuleViolation(field: "hlc", message: "设备时间比服务器快一天以上，请校准手机或电脑的时间后重新修改")
        }
    }

    public static func validate(_ change: Change) throws(RuleViolation) {
        guard let table = SyncTable.named(change.table) else {
            throw RuleViolation(field: "table", message: "不支持同步的数据类型：\(change.table.prefix(40))")
        }
        guard change.op == .upsert || table.clientCreates else {
            throw RuleViolation(field: "op", message: "该类记录不能删除")
        }
        guard change.hlc.utf8.count <= HLCTimestamp.maxTextBytes, HLCTimestamp(change.hlc) != nil else {
            throw RuleViolation(field: "hlc", message: "更改的时间戳格式不正确")
        }
        guard !change.recordId.isEmpty, change.recordId.utf8.count <= 64, change.recordId.utf8.allSatisfy(isIdByte)
        else {
            throw RuleViolation(field: "recordId", message: "记录编号不正确")
        }
        guard !change.fields.isEmpty || change.op == .delete else {
            throw RuleViolation(field: "fields", message: "更改不含任何字段")
        }
        for (field, value) in change.fields.sorted(by: { $0.key < $1.key }) {
            if table.serverFields.contains(field) {
                throw RuleViolation(field: field, message: "字段 \(field) 由服务器维护，客户端不能修改")
            }
            // NUL ends text in C and PostgreSQL refuses it: no store keeps it.
            if case .string(let text) = value, text.utf8.contains(0) {
                throw RuleViolation(field: field, message: "字段 \(field) 含有不可见的空字符，请删去后重新保存")
            }
            try FieldRules.validate(table: table, field: field, value: value)
        }
    }
}

import Foundation
import GRDB
import MutualAidDomain

/// One message as `messages --json` prints it (the CLI contract: exactly these keys).
public struct MessageView: Sendable, Codable, Equatable {
    public var id: String
    /// A stable code (`MessageKind`), e.g. `material_requested`.
    public var kind: String
    public var text: String
    /// When the server wrote it (ISO 8601, UTC).
    public var at: String
    public var read: Bool
    @NullWhenAbsent public var caseNumber: String?
}

public struct MessageList: Sendable, Codable, Equatable {
    public var unread: Int
    /// Newest first.
    public var messages: [MessageView]
}

/// The message centre (消息中心): messages arrive by pull and are read from the replica, so
/// they are there offline; marking one read is a local edit with its outbox entry, pushed at
/// the next sync, so the recipient's other devices show it read too.
extension MemberClient {
    public func messages() throws -> MessageList {
        try database.read { db in
            let messages = try self.database.table(.message).all(db).map(Self.view)
                .sorted { ($0.at, $0.id) > ($1.at, $1.id) }
            return MessageList(unread: messages.count(where: { !$0.read }), messages: messages)
        }
    }

    /// Marks messages read, here at once and on the server at the next sync. Every id must be a
    /// message of this replica, else nothing changes; one already read is left as it is.
    @discardableResult
    public func markMessagesRead(_ ids: [String]) throws -> MessageList {
        try database.write { db in
            let table = self.database.table(.message)
            var unread: [String] = []
            for reference in ids {
                guard let id = try Self.messageId(db, reference), let record = try table.load(db, id: id) else {
                    throw ClientError.invalidInput(
                        RuleViolation(
                            field: "id", message: "没有编号为 \(reference.prefix(64)) 的消息，请用 member-cli messages 查看消息编号"))
                }
                if record.fields["read"] != .int(1), !unread.contains(id) { unread.append(id) }
            }
            for id in unread { try LocalEdit.upsert(db, table, id: id, fields: ["read": .int(1)]) }
        }
        return try messages()
    }

    /// A message id, or an unambiguous prefix of one (at least 8 characters), like case references.
    private static func messageId(_ db: Database, _ reference: String) throws -> String? {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM message WHERE id = ?", arguments: [reference]) == true {
            return reference
        }
        guard reference.count >= 8, !reference.contains("%"), !reference.contains("_") else { return nil }
        let found = try String.fetchAll(
            db, sql: "SELECT id FROM message WHERE id LIKE ? LIMIT 2", arguments: [reference + "%"])
        return found.count == 1 ? found[0] : nil
    }

    static func unreadMessages(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE COALESCE(read, 0) = 0") ?? 0
    }

    private static func view(_ row: (id: String, fields: FieldMap)) -> MessageView {
        let f = row.fields
        return MessageView(
            id: row.id, kind: f["kind"]?.stringValue ?? "", text: f["text"]?.stringValue ?? "",
            at: f["at"]?.stringValue ?? "", read: f["read"] == .int(1), caseNumber: f["caseNumber"]?.stringValue)
    }
}

/// The message centre (消息中心): what the server tells the people a business change concerns.
extension SyncTable {
    /// A message to one member or to one unit's clerks, written by the server in the
    /// transaction of the change it reports. `read` is the recipient's own: set on one device,
    /// pushed through the outbox and pulled by their other devices.
    public static let message = SyncTable(
        name: "message",
        fields: [
            SyncField("kind", .text(maxLength: 40), .server),
            // Review notes and refusal reasons can touch on health: sealed at rest on the client.
            SyncField("text", .text(maxLength: 2000), .server, sensitive: true),
            SyncField("at", .text(maxLength: 40), .server),
            SyncField("caseNumber", .text(maxLength: 40), .server),
            /// The claim, enrolment application or registration the message is about.
            SyncField("subjectId", .text(maxLength: 64), .server),
            SyncField("read", .integer, .client, nullable: false),
        ], audience: .addressed)
}

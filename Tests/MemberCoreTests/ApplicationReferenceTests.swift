import Foundation
import MutualAidDomain
import SyncProtocol
import TestSupport
import Testing

@testable import MemberCore

/// Commands name an enrolment application as a unit clerk sees it: by id, by letter number or by
/// the first characters of its id.
@Suite struct ApplicationReferenceTests {
    let fixture = SyncFixture()

    /// An enrolment application is named by its id, its letter number or 6+ characters of its id
    /// (in either case, as a range of the key); a shared or short prefix and a wildcard name none.
    @Test func anApplicationIsNamedByIdLetterNumberOrPrefix() throws {
        defer { fixture.removeHome() }
        let client = try fixture.client()
        let entry = FeedEntry.fromServer
        try client.database.write { db in
            try PullApplier.apply(
                [
                    entry(3, "enrolment_application", "abc123-1", ["letterNumber": .string("HZ2026-0001")]),
                    entry(4, "enrolment_application", "abc123-2", [:]),
                    entry(5, "enrolment_application", "fed987-1", [:]),
                ], cursor: 5, database: client.database, db)
        }
        #expect(try client.enrolmentApplication("abc123-2").id == "abc123-2")
        #expect(try client.enrolmentApplication("HZ2026-0001").id == "abc123-1")
        #expect(try client.enrolmentApplication("FED987").id == "fed987-1")
        for unnamed in ["abc123", "fed98", "%%%%%%", "______", "HZ2026"] {
            #expect(throws: ClientError.self, "\(unnamed)") { try client.enrolmentApplication(unnamed) }
        }
    }
}

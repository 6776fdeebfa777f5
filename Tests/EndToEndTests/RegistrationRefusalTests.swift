import Foundation
import TestSupport
import Testing

/// A refused unit registration: the registrant has no account yet, so the reason reaches the
/// contact by SMS, and `register status` shows it.
@Suite(.serialized) struct RegistrationRefusalTests {
    @Test func theContactIsToldByTextWhyTheRegistrationWasRefused() throws {
        let cast = try EnrolmentJourneyTests.Cast(["sz-agent"])
        defer { cast.server.stop() }
        let clerk = Device("refused-unit")
        #expect(try clerk.cli(["connect", cast.server.url, "--ca-file", cast.server.certificate]).status == 0)
        let files = Scratch.directory("refused-unit-files")
        let sent = try clerk.cli(
            [
                "register", "new", "--office", "2602", "--agency", "sl-sz", "--name", "商州区远方物流有限公司", "--nature", "企业",
                "--code", EnrolmentJourneyTests.uscc("91611002MA6Y00770"),
                "--union-name", "商州区远方物流有限公司工会", "--union-code", EnrolmentJourneyTests.uscc("81611002MC0000077"),
                "--region", "陕西省-商洛市-商州区", "--address", "商州区北新街 3 号", "--contact-name", "马超",
                "--office-phone", "0914-2345679", "--mobile", "13912340077", "--email", "machao@example.com",
                "--licence", try EnrolmentJourneyTests.jpeg(files, "licence.jpg"),
                "--union-certificate", try EnrolmentJourneyTests.jpeg(files, "union.jpg"), "--json",
            ])
        #expect(sent.status == 0, "\(sent.stderr)")
        let id = try #require((try sent.json()["registrations"] as? [[String: Any]])?.first?["id"] as? String)

        _ = try cast.devices["sz-agent"]!.cli(["sync"])
        try cast.ok("sz-agent", ["unit", "review", id, "--fail", "--note", "营业执照已过期"])
        let sms = try run(Binaries.syncServer, ["sms", "list"] + (try cast.server.storeArguments) + ["--json"])
        let messages = try sms.json()["messages"] as? [[String: Any]] ?? []
        let text = try #require(messages.first { $0["mobile"] as? String == "13912340077" }?["text"] as? String)
        #expect(text.contains("商州区远方物流有限公司的单位注册申请未通过审核"))
        #expect(text.contains("原因：营业执照已过期。"))
        let status = try clerk.cli(["register", "status", "--refresh", "--json"]).json()
        #expect((status["registrations"] as? [[String: Any]])?.first?["state"] as? String == "rejected")
    }
}

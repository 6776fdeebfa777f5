import Foundation
import TestSupport
import Testing

/// The server killed (SIGKILL) right after it recorded the last chunk and marked the upload
/// completed, before the commit that verifies the material: the next HEAD finishes it.
@Suite(.serialized) struct UploadCrashTests {
    @Test func anUploadKilledBetweenCompletedAndCommitFinishesOnHead() throws {
        let (server, passwords) = try ServerProcess.demo()
        let phone = Device("phone")
        try phone.signIn(server, login: "lina", password: passwords["lina"]!)
        let id =
            try phone.cli([
                "claim", "new", "--type", "hospitalization", "--standard", "std-staff-med",
                "--admitted", ClaimJourneyTests().today(offset: -5), "--discharged",
                ClaimJourneyTests().today(offset: -1),
                "--hospital", "洛南县医院", "--diagnosis", "骨折", "--json",
            ]).json()["id"] as! String
        let files = try ClaimJourneyTests.makeFiles(in: Scratch.directory("photos"))
        #expect(try phone.cli(["claim", "attach", id, "--item", "discharge-summary", files.pdf]).status == 0)
        let total = 1_500_000 + 9
        let chunk = 131_072
        let chunks = (total + chunk - 1) / chunk

        server.stop()
        try server.start(environment: [
            "SYNC_SERVER_CRASH_AT": "after-upload-patch", "SYNC_SERVER_CRASH_AFTER": String(chunks),
        ])
        let interrupted = try phone.cli(["sync"], environment: ["MEMBER_CLI_CHUNK_BYTES": String(chunk)])
        #expect(interrupted.status != 0)
        #expect(server.waitForExit())
        let state = try storeRow(
            server,
            #"SELECT u."offset", u.completed, m.verified FROM upload u JOIN claim_material m ON m.id = u.material_id"#)
        let offset = state?[0].flatMap { Int($0) }
        let completed = state?[1].flatMap { Int($0) }
        let verified = state?[2].flatMap { Int($0) }
        #expect(offset == total && completed == 1 && verified == 0)

        try server.start()
        let resumed = try phone.cli(["sync", "--json"], environment: ["MEMBER_CLI_CHUNK_BYTES": String(chunk)])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let after = (
            try storeInt(server, "SELECT verified FROM claim_material WHERE claim_id = ?", [id]),
            try storeInt(server, "SELECT COUNT(*) FROM upload")
        )
        #expect(after.0 == 1 && after.1 == 0)
        server.stop()
    }
}

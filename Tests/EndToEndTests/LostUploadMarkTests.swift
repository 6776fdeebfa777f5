import Foundation
import TestSupport
import Testing

/// A device writes its upload marks (bytes sent, the upload's URL, done) without an fsync each:
/// a power cut may lose them. Lost after the server verified the material, the next sync asks
/// the server instead of sending the file again, and the material ends up done exactly once.
/// An open upload's URL lost costs the bytes sent so far, never the material or a second copy.
@Suite(.serialized) struct LostUploadMarkTests {
    @Test(arguments: [false, true]) func aLostDoneMarkCostsAQuestionNotTheBytes(keepURL: Bool) throws {
        let (server, passwords) = try ServerProcess.demo()
        defer { server.stop() }
        let (phone, id) = try UploadCrashTests.claimWithSummary(
            server, password: passwords["lina"]!, device: "lost-mark")
        let synced = try phone.cli(["sync"], environment: ["MEMBER_CLI_CHUNK_BYTES": "262144"])
        #expect(synced.status == 0, "\(synced.stderr)")
        let sent = try phone.cli(["status", "--json"]).json()["uploadedBytes"] as! Int
        #expect(sent > 0)

        // The marks as a power cut right after the last chunk would leave them.
        // A completed upload's row is gone on the server, so any URL it had answers 404 now.
        let url = keepURL ? "'/v1/uploads/\(UUID().uuidString.lowercased())'" : "NULL"
        try EnrolmentJourneyTests.sqlite(
            phone.home.appendingPathComponent("member.sqlite").path,
            "UPDATE material_upload SET done = 0, upload_url = \(url)")
        let again = try phone.cli(["sync", "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try phone.cli(["status", "--json"]).json()["uploadedBytes"] as! Int == sent)
        #expect(try phone.cli(["status", "--json"]).json()["pendingUploads"] as? Int == 0)
        #expect(
            try storeInt(server, "SELECT COUNT(*) FROM claim_material WHERE claim_id = ? AND verified = 1", [id]) == 1)
        #expect(try storeInt(server, "SELECT COUNT(*) FROM upload") == 0)
    }

    @Test func aLostURLOfAnOpenUploadStartsAnotherAndTheMaterialCountsOnce() throws {
        let (server, passwords) = try ServerProcess.demo()
        defer { server.stop() }
        let (phone, id) = try UploadCrashTests.claimWithSummary(
            server, password: passwords["lina"]!, device: "lost-url")
        let chunk = 262_144
        server.stop()
        try server.start(environment: ["SYNC_SERVER_CRASH_AT": "after-upload-patch", "SYNC_SERVER_CRASH_AFTER": "2"])
        let interrupted = try phone.cli(["sync"], environment: ["MEMBER_CLI_CHUNK_BYTES": String(chunk)])
        #expect(interrupted.status != 0)
        #expect(server.waitForExit())
        #expect(try storeInt(server, #"SELECT "offset" FROM upload"#) == 2 * chunk)

        // The URL as a power cut right after the upload was created could leave it: never written.
        try EnrolmentJourneyTests.sqlite(
            phone.home.appendingPathComponent("member.sqlite").path, "UPDATE material_upload SET upload_url = NULL")
        try server.start()
        let resumed = try phone.cli(["sync", "--json"], environment: ["MEMBER_CLI_CHUNK_BYTES": String(chunk)])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try phone.cli(["status", "--json"]).json()["pendingUploads"] as? Int == 0)
        #expect(try storeInt(server, "SELECT COUNT(*) FROM claim_material WHERE claim_id = ?", [id]) == 1)
        #expect(
            try storeInt(server, "SELECT COUNT(*) FROM claim_material WHERE claim_id = ? AND verified = 1", [id]) == 1)
        // The first upload is left open, unfinished, until it expires; nothing else remains.
        #expect(
            try storeInt(
                server, #"SELECT COUNT(*) FROM upload WHERE "offset" = ? AND completed = 0"#, [String(2 * chunk)]) == 1)
        #expect(try storeInt(server, "SELECT COUNT(*) FROM upload") == 1)
    }
}

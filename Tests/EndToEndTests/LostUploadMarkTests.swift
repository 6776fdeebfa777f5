import Foundation
import TestSupport
import Testing

/// A device writes its upload marks (bytes sent, the upload's URL, done) without an fsync each:
/// a power cut may lose them. Lost after the server verified the material, the next sync asks
/// the server instead of sending the file again, and the material ends up done exactly once.
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
}

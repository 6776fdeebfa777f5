import Foundation
import TestSupport
import Testing

/// The server killed (SIGKILL) right after it recorded the last chunk and marked the upload
/// completed, before the commit that verifies the material: the next HEAD finishes it, with
/// the file sent in several chunks (content stored from the part, before or after the kill) or
/// in one body (content stored from the body itself, the part left empty). A whole file sent
/// in the creating request leaves no upload: killed before its commit, it is sent again.
@Suite(.serialized) struct UploadCrashTests {
    static let total = 1_500_000 + 9

    @Test func anUploadKilledBetweenCompletedAndCommitFinishesOnHead() throws {
        let (server, _, _) = try killBetweenCompletedAndCommit(chunk: 131_072)
        server.stop()
    }

    @Test func aWholeFileInOneBodyKilledBeforeItsCommitIsNotSentAgain() throws {
        let (server, phone, sentBefore) = try killBetweenCompletedAndCommit(chunk: 2_000_000)
        try expectStoredOnce(server, phone, sentBefore)
        server.stop()
    }

    /// Killed after the whole part was renamed into the content store: there is no part left to
    /// store from, the content itself is hashed again on HEAD, and nothing is sent again.
    @Test func anUploadKilledAfterItsPartBecameContentIsNotSentAgain() throws {
        let (server, phone, sentBefore) = try killBetweenCompletedAndCommit(chunk: 131_072, at: "after-part-stored")
        try expectStoredOnce(server, phone, sentBefore)
        server.stop()
    }

    /// A server from before "completed" existed recorded every byte without marking the upload
    /// completed: the next HEAD hashes the whole part, completes the upload and verifies the
    /// material, and nothing is sent again.
    @Test func anUploadWithEveryByteRecordedButNotMarkedCompletedIsFinishedOnHead() throws {
        let (server, phone, sentBefore) = try killBetweenCompletedAndCommit(chunk: 131_072) { server in
            try storeExecute(server, "UPDATE upload SET completed = 0")
        }
        try expectStoredOnce(server, phone, sentBefore)
        server.stop()
    }

    /// The content kept at the restart was verified: nothing was uploaded again, the stored file
    /// is whole and read-only, and no part is left.
    func expectStoredOnce(_ server: ServerProcess, _ phone: Device, _ sentBefore: Int) throws {
        let sent = try phone.cli(["status", "--json"]).json()["uploadedBytes"] as! Int
        #expect(sent == sentBefore)
        guard !TestStore.isPostgres else { return }
        let sha = try storeRow(server, "SELECT sha256 FROM claim_material")?.first ?? nil
        let blob = server.data.appendingPathComponent("materials/\(sha?.prefix(2) ?? "")/\(sha ?? "")")
        let attributes = try FileManager.default.attributesOfItem(atPath: blob.path)
        #expect((attributes[.size] as? NSNumber)?.intValue == Self.total)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o400)
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: server.data.appendingPathComponent("uploads").path)
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// With no part to store it from again, content that is gone by the restart ends the
    /// upload (410): the client starts a new one and sends the file again, and it is verified.
    @Test func aWholeFileWhoseContentIsLostBeforeTheRestartIsSentAgain() throws {
        let (server, phone, sentBefore) = try killBetweenCompletedAndCommit(chunk: 2_000_000) { server in
            if TestStore.isPostgres {
                _ = try storeRow(server, "DELETE FROM content_chunk RETURNING 1")
            } else {
                try FileManager.default.removeItem(at: server.data.appendingPathComponent("materials"))
            }
        }
        let sent = try phone.cli(["status", "--json"]).json()["uploadedBytes"] as! Int
        #expect(sent - sentBefore == Self.total)
        server.stop()
    }

    /// A device signed in as lina with a new claim and its discharge summary (1.5 MB) attached
    /// but not synced; answers the device and the claim's id.
    static func claimWithSummary(_ server: ServerProcess, password: String, device: String) throws -> (Device, String) {
        let phone = Device(device)
        try phone.signIn(server, login: "lina", password: password)
        let id =
            try phone.cli([
                "claim", "new", "--type", "hospitalization", "--standard", "std-staff-med",
                "--admitted", ClaimJourneyTests().today(offset: -5), "--discharged",
                ClaimJourneyTests().today(offset: -1),
                "--hospital", "洛南县医院", "--diagnosis", "骨折", "--json",
            ]).json()["id"] as! String
        let files = try ClaimJourneyTests.makeFiles(in: Scratch.directory("\(device)-photos"))
        #expect(try phone.cli(["claim", "attach", id, "--item", "discharge-summary", files.pdf]).status == 0)
        return (phone, id)
    }

    /// Killed after the whole file, sent in the creating request, was stored as content and
    /// before the commit that verifies the material: nothing was recorded, no upload is left,
    /// the restart removes the unrecorded content, and the next sync sends the file again,
    /// stored and verified once.
    @Test func aWholeFileInTheCreatingRequestKilledBeforeItsCommitIsSentAgainOnce() throws {
        let (server, passwords) = try ServerProcess.demo()
        defer { server.stop() }
        let (phone, id) = try Self.claimWithSummary(server, password: passwords["lina"]!, device: "in-creation")
        let whole = ["MEMBER_CLI_CHUNK_BYTES": "2000000"]
        let blobs =
            "SELECT COUNT(*) FROM material_blob WHERE sha256 = (SELECT sha256 FROM claim_material WHERE claim_id = ?)"
        server.stop()
        try server.start(environment: ["SYNC_SERVER_CRASH_AT": "after-upload-patch"])
        let interrupted = try phone.cli(["sync"], environment: whole)
        #expect(interrupted.status != 0)
        #expect(server.waitForExit())
        #expect(try storeInt(server, "SELECT COUNT(*) FROM upload") == 0)
        #expect(try storeInt(server, "SELECT verified FROM claim_material WHERE claim_id = ?", [id]) == 0)
        #expect(try storeInt(server, blobs, [id]) == 0)
        let sentBefore = try phone.cli(["status", "--json"]).json()["uploadedBytes"] as! Int
        #expect(sentBefore == Self.total)

        try server.start()
        let resumed = try phone.cli(["sync", "--json"], environment: whole)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let sent = try phone.cli(["status", "--json"]).json()["uploadedBytes"] as! Int
        #expect(sent - sentBefore == Self.total)
        #expect(try phone.cli(["status", "--json"]).json()["pendingUploads"] as? Int == 0)
        #expect(try storeInt(server, "SELECT verified FROM claim_material WHERE claim_id = ?", [id]) == 1)
        #expect(try storeInt(server, "SELECT COUNT(*) FROM upload") == 0)
        #expect(try storeInt(server, blobs, [id]) == 1)
        guard !TestStore.isPostgres else { return }
        let left = try FileManager.default.contentsOfDirectory(
            atPath: server.data.appendingPathComponent("uploads").path)
        #expect(left.isEmpty, "\(left)")
    }

    /// Answers the server (running), the device and its sent-bytes count before the resumed
    /// sync. `point` is reached once per upload, after its last chunk; `beforeRestart` runs
    /// while the server is down. The client creates each upload before sending bytes (no
    /// creation-with-upload), so that a whole file in one body leaves an upload to finish.
    func killBetweenCompletedAndCommit(
        chunk: Int, at point: String = "after-upload-patch", beforeRestart: (ServerProcess) throws -> Void = { _ in }
    ) throws -> (ServerProcess, Device, Int) {
        let (server, passwords) = try ServerProcess.demo()
        let (phone, id) = try Self.claimWithSummary(server, password: passwords["lina"]!, device: "phone")
        let chunks = (Self.total + chunk - 1) / chunk

        server.stop()
        try server.start(environment: [
            "SYNC_SERVER_CRASH_AT": point,
            "SYNC_SERVER_CRASH_AFTER": point == "after-upload-patch" ? String(chunks) : "1",
        ])
        let twoSteps = ["MEMBER_CLI_CHUNK_BYTES": String(chunk), "MEMBER_CLI_UPLOAD_IN_CREATION": "off"]
        let interrupted = try phone.cli(["sync"], environment: twoSteps)
        #expect(interrupted.status != 0)
        #expect(server.waitForExit())
        let state = try storeRow(
            server,
            #"SELECT u."offset", u.completed, m.verified FROM upload u JOIN claim_material m ON m.id = u.material_id"#)
        let offset = state?[0].flatMap { Int($0) }
        let completed = state?[1].flatMap { Int($0) }
        let verified = state?[2].flatMap { Int($0) }
        #expect(offset == Self.total && completed == 1 && verified == 0)
        let sentBefore = try phone.cli(["status", "--json"]).json()["uploadedBytes"] as! Int

        try beforeRestart(server)
        try server.start()
        let resumed = try phone.cli(["sync", "--json"], environment: twoSteps)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let after = (
            try storeInt(server, "SELECT verified FROM claim_material WHERE claim_id = ?", [id]),
            try storeInt(server, "SELECT COUNT(*) FROM upload")
        )
        #expect(after.0 == 1 && after.1 == 0)
        return (server, phone, sentBefore)
    }
}

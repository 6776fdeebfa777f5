import Foundation
import TestSupport
import Testing

/// Moving an office from the embedded store to PostgreSQL (issue 12, item 7): `sync-server
/// migrate --data DIR --to URL` copies records, feed, ledger, accounts and materials into an
/// empty database and checks every account's checksums; the clients then keep syncing against
/// the server on PostgreSQL without pulling everything again.
@Suite(.serialized, .enabled(if: TestStore.isPostgres, "the move needs a PostgreSQL database"))
struct StoreMoveTests {
    @Test func anEmbeddedOfficeMovesToPostgreSQLAndItsClientsSyncOn() throws {
        let server = ServerProcess(embedded: true)
        let passwords = try server.loadDemo()
        try server.start()
        defer { server.stop(signal: SIGKILL) }
        let phone = Device("move-phone")
        let pad = Device("move-pad")
        for device in [phone, pad] {
            try device.signIn(server, login: "lina", password: passwords["lina"]!)
        }
        let files = try ClaimJourneyTests.makeFiles(in: Scratch.directory("photos"))
        let claim = try ScaleOutTests.fileClaim(phone, files)
        #expect(try phone.cli(["sync"]).status == 0)
        #expect(try pad.cli(["sync"]).status == 0)
        let before = try pad.cli(["claim", "show", claim, "--json"]).json()
        server.stop()

        // Into a database that is not empty: refused, nothing changed.
        let target = try TestStore.newPostgresDatabase()
        let busy = ServerProcess()
        _ = try busy.loadDemo()
        let refused = try run(
            Binaries.syncServer, ["migrate", "--data", server.data.path, "--to", try busy.storeArguments.last!])
        #expect(refused.status != 0 && refused.stderr.contains("不是空的"), "\(refused.output)")

        let moved = try run(Binaries.syncServer, ["migrate", "--data", server.data.path, "--to", target], timeout: 300)
        #expect(moved.status == 0, "\(moved.output)")
        #expect(moved.stdout.contains("校验和两边一致"), "\(moved.stdout)")
        // Moving twice would duplicate: the second time finds the database in use.
        #expect(try run(Binaries.syncServer, ["migrate", "--data", server.data.path, "--to", target]).status != 0)

        server.use(database: target)
        try server.start()
        let edit = try phone.cli(["profile", "set", "--mobile", "13700001111"])
        #expect(edit.status == 0, "\(edit.stderr)")
        let pushed = try phone.cli(["sync", "--json"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let pulled = try pad.cli(["sync", "--json"])
        #expect(pulled.status == 0, "\(pulled.stderr)")
        // Only what changed since the move comes down: the cursor still holds.
        let count = try pulled.json()["pulled"] as? Int ?? -1
        #expect(count >= 1 && count <= 3, "pulled \(count) entries after the move")
        #expect(try pad.cli(["profile", "show", "--json"]).json()["mobile"] as? String == "13700001111")
        let after = try pad.cli(["claim", "show", claim, "--json"]).json()
        #expect(after["caseNumber"] as? String == before["caseNumber"] as? String)
        for device in [phone, pad] {
            #expect(try device.cli(["verify", "--json"]).json()["ok"] as? Bool == true)
        }
        // The materials came along, hashed again on the way, and are served from the database.
        #expect(try storeInt(server, "SELECT COUNT(DISTINCT sha256) FROM content_chunk") == 3)
        let intact = try storeInt(
            server,
            """
            SELECT COUNT(*) FROM material_blob b WHERE b.sha256 = (
                SELECT encode(sha256(string_agg(c.bytes, ''::bytea ORDER BY c.idx)), 'hex')
                FROM content_chunk c WHERE c.sha256 = b.sha256)
            """)
        #expect(intact == 3)
    }
}

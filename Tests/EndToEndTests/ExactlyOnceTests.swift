import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// kill -9 of either side at the dangerous moments leaves exactly one applied change on the
/// server and an empty outbox after the next sync.
@Suite(.serialized) struct ExactlyOnceTests {
    func serverCounts(_ server: ServerProcess, mobile: String) throws -> (applied: Int, feed: Int) {
        (
            try storeInt(server, "SELECT COUNT(*) FROM applied_change WHERE status = 'applied'") ?? -1,
            try storeInt(server, "SELECT COUNT(*) FROM change_feed WHERE fields LIKE ?", ["%\(mobile)%"]) ?? -1
        )
    }

    func setUp() throws -> (ServerProcess, Device) {
        let (server, passwords) = try ServerProcess.demo()
        let device = Device("member")
        try device.signIn(server, login: "zhangwei", password: passwords["zhangwei"]!)
        return (server, device)
    }

    @Test func serverKilledAfterCommitBeforeAnswering() throws {
        let (server, device) = try setUp()
        server.stop()
        try server.start(environment: ["SYNC_SERVER_CRASH_AT": "after-push-commit"])
        #expect(try device.cli(["profile", "set", "--mobile", "13911110001"]).status == 0)
        let failed = try device.cli(["sync"])
        #expect(failed.status != 0)
        #expect(server.waitForExit())
        #expect(try device.cli(["status", "--json"]).json()["pendingChanges"] as? Int == 1)
        #expect(try serverCounts(server, mobile: "13911110001") == (1, 1))  // committed before the crash

        try server.start()
        #expect(try device.cli(["sync", "--json"]).json()["pushed"] as? Int == 1)
        #expect(try device.cli(["status", "--json"]).json()["pendingChanges"] as? Int == 0)
        #expect(try serverCounts(server, mobile: "13911110001") == (1, 1))
        #expect(try device.cli(["verify", "--json"]).json()["ok"] as? Bool == true)
        server.stop()
    }

    @Test func clientKilledAfterSending() throws {
        let (server, device) = try setUp()
        #expect(try device.cli(["profile", "set", "--mobile", "13911110002"]).status == 0)
        let killed = try device.cli(["sync"], environment: ["MEMBER_CLI_CRASH_AT": "after-push-response"])
        #expect(killed.signalled && killed.status == SIGKILL)
        #expect(try device.cli(["status", "--json"]).json()["pendingChanges"] as? Int == 1)
        #expect(try serverCounts(server, mobile: "13911110002") == (1, 1))

        #expect(try device.cli(["sync"]).status == 0)
        #expect(try device.cli(["status", "--json"]).json()["pendingChanges"] as? Int == 0)
        #expect(try serverCounts(server, mobile: "13911110002") == (1, 1))
        #expect(try device.cli(["verify", "--json"]).json()["ok"] as? Bool == true)
        server.stop()
    }

    /// A fresh device killed while its pulled pages wait for their commit: none of them is in
    /// its replica afterwards (no half-written page), and the next sync pulls them all.
    @Test func clientKilledWhilePulledPagesWaitForTheirCommit() throws {
        let (server, passwords) = try ServerProcess.demo()
        let device = Device("fresh-pull")
        #expect(try device.cli(["connect", server.url, "--ca-file", server.certificate]).status == 0)
        let login = try device.cli(["login", "zhangwei", "--password-stdin"], stdin: passwords["zhangwei"]! + "\n")
        #expect(login.status == 0)
        let killed = try device.cli(["sync"], environment: ["MEMBER_CLI_CRASH_AT": "pull-page-written"])
        #expect(killed.signalled && killed.status == SIGKILL)
        let after = try device.cli(["verify", "--json"]).json()
        let differences = after["differences"] as? [[String: Any]] ?? []
        #expect(after["ok"] as? Bool == false)
        #expect(!differences.isEmpty && differences.allSatisfy { $0["kind"] as? String == "missing" })
        #expect(try device.cli(["sync"]).status == 0)
        #expect(try device.cli(["verify", "--json"]).json()["ok"] as? Bool == true)
        server.stop()
    }

    @Test func clientKilledAtRandomMomentsDuringSync() throws {
        let (server, device) = try setUp()
        var expected: [String] = []
        var rng = SplitMix64(environment: "KILL_DELAY_SEED", default: 0x6B11)
        for round in 0..<6 {
            let mobile = "139222200\(String(format: "%02d", round))"
            expected.append(mobile)
            #expect(try device.cli(["profile", "set", "--mobile", mobile]).status == 0)
            // Start a sync and SIGKILL it after a random delay; it may or may not have finished.
            let sync = try ChildProcess(Binaries.memberCLI, ["sync", "--home", device.home.path])
            usleep(useconds_t(rng.int(0...120_000)))
            sync.kill9()
        }
        #expect(try device.cli(["sync"]).status == 0)
        #expect(try device.cli(["status", "--json"]).json()["pendingChanges"] as? Int == 0)
        let applied = try storeInt(server, "SELECT COUNT(*) FROM applied_change WHERE change_id LIKE '%:%'") ?? -1
        #expect(applied == expected.count, "\(rng.label)")  // six edits, six changes, each applied once
        #expect(try device.cli(["profile", "show", "--json"]).json()["mobile"] as? String == expected.last)
        #expect(try device.cli(["verify", "--json"]).json()["ok"] as? Bool == true)
        server.stop()
    }
}

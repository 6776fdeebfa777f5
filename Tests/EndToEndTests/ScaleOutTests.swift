import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Three `sync-server` instances on one PostgreSQL database behind HAProxy, as the README's
/// recipe runs them (issue 12, item 6): clients use one address, requests land on every
/// instance, an instance killed with SIGKILL and restarted while a member files a claim loses
/// nothing, and two devices of that member see the same data.
@Suite(.serialized, .enabled(if: TestStore.isPostgres, "several instances share one store only on PostgreSQL"))
struct ScaleOutTests {
    @Test func threeInstancesBehindHAProxyServeOneAddressAndSurviveAKill() throws {
        let first = ServerProcess()
        let passwords = try first.loadDemo()
        let servers = [first, ServerProcess(sharing: first), ServerProcess(sharing: first)]
        // Starting the first one makes the certificate the others and HAProxy use.
        for server in servers { try server.start(arguments: ["--trusted-proxy", "127.0.0.1"]) }
        defer { for server in servers { server.stop(signal: SIGKILL) } }
        let proxy = try HAProxyProcess(
            backends: servers.map(\.port), certificate: first.certificate,
            privateKey: first.data.appendingPathComponent("tls/key.pem").path)
        defer { proxy.stop() }

        print("HAProxy at \(proxy.url), instances \(servers.map(\.port))")
        let phone = Device("lina-phone")
        let pad = Device("lina-pad")
        for device in [phone, pad] {
            try device.signIn(
                url: proxy.url, certificate: first.certificate, login: "lina", password: passwords["lina"]!)
        }
        let files = try ClaimJourneyTests.makeFiles(in: Scratch.directory("photos"))

        // The first claim goes up with every instance running.
        var claims = [try Self.fileClaim(phone, files)]
        let firstSync = try phone.cli(["sync", "--json"])
        #expect(firstSync.status == 0, "\(firstSync.stderr)")

        // The second goes up in small chunks while an instance is killed mid-sync; the client
        // syncs again (as a member would) until it has gone through, then the instance returns.
        claims.append(try Self.fileClaim(phone, files))
        let log = Scratch.directory("sync-log")
        try FileManager.default.createDirectory(at: log, withIntermediateDirectories: true)
        let interrupted = try ChildProcess(
            Binaries.memberCLI, ["sync", "--home", phone.home.path],
            environment: ["MEMBER_CLI_CHUNK_BYTES": "65536"],
            stdout: log.appendingPathComponent("out").path, stderr: log.appendingPathComponent("err").path)
        Thread.sleep(forTimeInterval: 0.4)
        servers[1].stop(signal: SIGKILL)
        try interrupted.wait(Deadline(seconds: 120), what: "the interrupted sync")
        var synced = false
        for _ in 0..<10 where !synced {
            let sync = try phone.cli(["sync", "--json"], environment: ["MEMBER_CLI_CHUNK_BYTES": "65536"])
            synced = sync.status == 0
            if !synced { Thread.sleep(forTimeInterval: 1) }
        }
        #expect(synced)
        try servers[1].start(arguments: ["--trusted-proxy", "127.0.0.1"])
        try Deadline(seconds: 20).wait(for: "HAProxy to take the instance back") {
            try proxy.serverStats()["s2"]?.up == true
        }
        #expect(try phone.cli(["sync"]).status == 0)
        #expect(try phone.cli(["status", "--json"]).json()["pendingChanges"] as? Int == 0)

        // The other device of the member, through the same address, sees the same claims.
        #expect(try pad.cli(["sync"]).status == 0)
        for claim in claims {
            let onPhone = try phone.cli(["claim", "show", claim, "--json"]).json()
            let onPad = try pad.cli(["claim", "show", claim, "--json"]).json()
            #expect(onPad["caseNumber"] as? String != nil)
            #expect(onPad["caseNumber"] as? String == onPhone["caseNumber"] as? String)
            #expect(onPad["state"] as? String == onPhone["state"] as? String)
            let materials = onPad["materials"] as? [[String: Any]] ?? []
            #expect(!materials.isEmpty && materials.allSatisfy { $0["uploaded"] as? Bool == true }, "\(materials)")
        }
        for device in [phone, pad] {
            #expect(try device.cli(["verify", "--json"]).json()["ok"] as? Bool == true)
        }

        // Every material verified once, and its stored bytes still hash to its name.
        let materials = try storeInt(first, "SELECT COUNT(*) FROM claim_material WHERE verified = 1") ?? -1
        #expect(materials == 6)
        let intact = try storeInt(
            first,
            """
            SELECT COUNT(*) FROM claim_material m WHERE m.verified = 1 AND m.sha256 = (
                SELECT encode(sha256(string_agg(c.bytes, ''::bytea ORDER BY c.idx)), 'hex')
                FROM content_chunk c WHERE c.sha256 = m.sha256)
            """)
        #expect(intact == materials)
        // Every change the devices sent was applied (none refused on the way through a restart).
        #expect(try storeInt(first, "SELECT COUNT(*) FROM applied_change WHERE status = 'applied'") ?? 0 > 0)
        #expect(try storeInt(first, "SELECT COUNT(*) FROM applied_change WHERE status <> 'applied'") == 0)
        // Requests reached every instance.
        let stats = try proxy.serverStats()
        #expect(stats.count == 3 && stats.values.allSatisfy { $0.sessions > 0 }, "\(stats)")
    }

    /// A hospitalization claim with its three materials attached, submitted.
    static func fileClaim(_ phone: Device, _ files: (png: String, jpeg: String, pdf: String)) throws -> String {
        let created = try phone.cli([
            "claim", "new", "--type", "hospitalization", "--standard", "std-staff-med",
            "--admitted", ClaimJourneyTests().today(offset: -12), "--discharged", ClaimJourneyTests().today(offset: -3),
            "--hospital", "商洛市中心医院", "--diagnosis", "社区获得性肺炎", "--json",
        ])
        guard created.status == 0, let id = try created.json()["id"] as? String else {
            throw SupportError("claim new: \(created.stderr)")
        }
        let payee = try phone.cli([
            "claim", "payee", id, "--relation", "self", "--name", "李娜", "--mobile", "13912345678",
            "--bank-account", "6222020200112233445", "--bank-name", "中国工商银行商洛分行",
        ])
        guard payee.status == 0 else { throw SupportError("claim payee: \(payee.stderr)") }
        for (item, path) in [("id-card", files.png), ("bank-card", files.jpeg), ("discharge-summary", files.pdf)] {
            let attached = try phone.cli(["claim", "attach", id, "--item", item, path])
            guard attached.status == 0 else { throw SupportError("claim attach: \(attached.stderr)") }
        }
        let submitted = try phone.cli(["claim", "submit", id, "--json"])
        guard submitted.status == 0 else { throw SupportError("claim submit: \(submitted.stderr)") }
        return id
    }
}

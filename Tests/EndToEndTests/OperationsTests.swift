import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What operators rely on (issue 12, item 8): Prometheus metrics on a port of their own, and a
/// drain on SIGTERM that lets the process end cleanly.
@Suite struct OperationsTests {
    @Test func metricsCountRequestsAndTimeSyncsAndSIGTERMDrains() throws {
        let server = ServerProcess()
        let passwords = try server.loadDemo()
        let metricsPort = try freePort()
        try server.start(arguments: ["--metrics-port", String(metricsPort)])
        let phone = Device("ops-phone")
        try phone.signIn(server, login: "zhangwei", password: passwords["zhangwei"]!)
        #expect(try phone.cli(["profile", "set", "--mobile", "13911112222"]).status == 0)
        #expect(try phone.cli(["sync"]).status == 0)

        let scraped = try run("/usr/bin/curl", ["-s", "--max-time", "10", "http://127.0.0.1:\(metricsPort)/metrics"])
        #expect(scraped.status == 0, "\(scraped.stderr)")
        let text = scraped.stdout
        #expect(
            text.contains(#"sync_server_requests_total{method="POST",route="/v1/auth/login",status="200"} 1"#),
            "\(text)")
        #expect(text.contains(#"sync_server_sync_duration_seconds_count{operation="push"}"#))
        #expect(text.contains(#"sync_server_sync_duration_seconds_count{operation="pull"}"#))
        if TestStore.isPostgres {
            #expect(text.contains(#"sync_server_database_connections{state="capacity"} 8"#), "\(text)")
        }
        // The metrics port is not the API: nothing else is served there.
        #expect(
            try run(
                "/usr/bin/curl",
                ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(metricsPort)/v1/health"]
            )
            .stdout == "404")

        // A client keeping its connection open (as a balancer does) does not hold the drain.
        let out = Scratch.directory("held-connection")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let holder = try ChildProcess(
            "/usr/bin/env",
            [
                "python3", "-c",
                """
                import http.client, ssl, sys, time
                ctx = ssl.create_default_context(cafile=sys.argv[2]); ctx.check_hostname = False
                c = http.client.HTTPSConnection("127.0.0.1", int(sys.argv[1]), context=ctx, timeout=30)
                c.request("GET", "/v1/health"); r = c.getresponse(); r.read()
                print("held", r.status, flush=True); time.sleep(30)
                """,
                String(server.port), server.certificate,
            ], stdout: out.appendingPathComponent("out").path)
        defer { holder.kill9() }
        try Deadline(seconds: 20).wait(for: "the held connection") {
            (try? String(contentsOf: out.appendingPathComponent("out"), encoding: .utf8))?.contains("held 200") == true
        }
        let signalled = Date()
        server.stop(signal: SIGTERM)
        #expect(!server.isRunning)
        #expect(Date().timeIntervalSince(signalled) < 3, "the drain waited for the held connection")
        #expect(server.log.contains("listening on"))
    }
}

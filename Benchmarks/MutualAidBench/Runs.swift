import Foundation
import GRDB
@_spi(Benchmark) import MemberCore
import MutualAidDomain
import TestSupport

extension Suite {
    mutating func runAll() async throws -> [String: Figure] {
        let data = work.appendingPathComponent("server")
        let server = ServerProcess(data: data, syncServer: bin.appendingPathComponent("sync-server").path)
        let passwords = try server.loadDemo()
        try Seed.enrolments(
            serverDatabase: data.appendingPathComponent("case-store.sqlite").path, memberId: "m-002",
            count: sizes.pullRecords)
        if wanted("P5") { try seedMembers(server) }
        try server.start()
        defer { server.stop() }

        if due("P2") { try await pull(server, password: passwords["lina"]!) }
        if due("P1") { try await edits(server, password: passwords["zhangwei"]!) }
        if due("P3") { try await push(server, password: passwords["zhangwei"]!) }
        if due("P4") { try await upload(server, password: passwords["zhangwei"]!) }
        if due("P5") { try await concurrentClaims(server, passwords: passwords) }
        if due("P7") { try await coldStart(server, password: passwords["wangfang"]!) }
        server.stop()
        if let postgres { try await runPostgres(postgres) }
        return figures
    }

    /// Whether figure `key` runs: `--only P2,P3` runs a subset, for profiling one at a time.
    func wanted(_ key: String) -> Bool { only?.contains(key) ?? true }

    /// Whether figure `key` runs (`wanted`); when it does, the disk goes idle first.
    func due(_ key: String) -> Bool {
        guard wanted(key) else { return false }
        settle()
        return true
    }

    /// Lets the disk go idle before a figure is timed: the set-up's writes (P5's 200 members)
    /// or the last figure's were otherwise still going out to disk while the next was timed.
    func settle() { sync() }

    /// P3 and P5 again with the case store on PostgreSQL (one instance), then P5 with three
    /// instances behind HAProxy: same sizes, same machine, same run.
    mutating func runPostgres(_ cluster: String) async throws {
        let syncServer = bin.appendingPathComponent("sync-server").path
        func freshDatabase(_ name: String) throws -> String {
            let database = "bench_\(name)_\(UInt32.random(in: 0...UInt32.max))"
            let made = try run(
                "/usr/bin/psql", ["-X", "-q", cluster + "postgres", "-c", "CREATE DATABASE \(database)"])
            guard made.status == 0 else { throw SupportError("createdb: \(made.stderr)") }
            return cluster + database
        }
        let one = ServerProcess(data: work.appendingPathComponent("pg-server"), syncServer: syncServer, embedded: true)
        one.use(database: try freshDatabase("one"))
        var passwords = try one.loadDemo()
        if wanted("P5") { try seedMembers(one) }
        try one.start()
        figureSuffix = "-pg"
        if due("P3") { try await push(one, password: passwords["zhangwei"]!) }
        if due("P5") { try await concurrentClaims(one, passwords: passwords) }
        one.stop()
        guard wanted("P5") else { return }

        let first = ServerProcess(
            data: work.appendingPathComponent("pg3-server"), syncServer: syncServer, embedded: true)
        first.use(database: try freshDatabase("three"))
        passwords = try first.loadDemo()
        try seedMembers(first)
        let servers = [first, ServerProcess(sharing: first), ServerProcess(sharing: first)]
        for server in servers { try server.start(arguments: ["--trusted-proxy", "127.0.0.1"]) }
        defer { for server in servers { server.stop() } }
        let proxy = try HAProxyProcess(
            backends: servers.map(\.port), certificate: first.certificate,
            privateKey: first.data.appendingPathComponent("tls/key.pem").path)
        defer { proxy.stop() }
        figureSuffix = "-pg-3"
        settle()
        endpoint = (proxy.url, first.certificate)
        try await concurrentClaims(first, passwords: passwords)
        endpoint = nil
        figureSuffix = ""
    }

    /// P2 and the client half of P6: a fresh client pulls every enrolment record over HTTPS.
    mutating func pull(_ server: ServerProcess, password: String) async throws {
        let home = work.appendingPathComponent("pull-device")
        let cli = bin.appendingPathComponent("member-cli").path
        _ = try run(cli, ["connect", server.url, "--ca-file", server.certificate, "--home", home.path])
        _ = try run(cli, ["login", "lina", "--password-stdin", "--home", home.path], stdin: password + "\n")
        let measured = try runMeasured(cli, ["sync", "--home", home.path])
        guard measured.status == 0 else { throw SupportError("pull sync failed") }
        let rate = Double(sizes.pullRecords) / measured.seconds
        let baseline = try Seed.bulkInsertRowsPerSecond(count: sizes.pullRecords, in: work)
        figures["P2" + figureSuffix] = Figure(
            value: rate / baseline, goal: 0.5, unit: "× bulk insert", atMost: false,
            baseline: baseline, baselineUnit: "rows/s bulk insert", absolute: "\(Report.number(rate)) records/s",
            note:
                "\(sizes.pullRecords) enrolment records, first sync of a fresh client (member-cli process); baseline: the same rows bulk-inserted into SQLite"
        )
        let mb = Double(measured.peak) / 1_048_576
        figures["P6-client" + figureSuffix] = Figure(
            value: mb, goal: 45, unit: "MB", atMost: true, note: "peak resident memory of member-cli during P2")
    }

    /// P1: a claim-draft field edit with change capture ÷ the same plain SQLite update.
    mutating func edits(_ server: ServerProcess, password: String) async throws {
        let client = try await member("editor", login: "zhangwei", password: password, server: server)
        _ = try await client.sync()
        let claim = try client.newClaim(
            ClaimInput(claimType: .hospitalization, standardIds: ["std-staff-med"], admitted: today(-9)))
        let count = sizes.edits
        let (_, captured) = try time {
            for i in 0..<count { _ = try client.editClaim(claim.id, ClaimInput(hospital: "医院\(i)")) }
        }
        // The change capture alone: the row, its clocks and the sealed outbox entry, one transaction each.
        let (_, captureOnly) = try time {
            for i in 0..<count { try client.captureClaimEdit(claim.id, field: "hospital", value: "医院\(i)") }
        }
        let plain = try Seed.plainUpdatesSeconds(count: count, in: work)
        let ratio = captured / plain
        let captureRatio = captureOnly / plain
        let plainMs = plain / Double(count) * 1000
        figures["P1" + figureSuffix] = Figure(
            value: captureRatio, goal: 1.3, unit: "× plain update", atMost: true,
            baseline: plainMs, baselineUnit: "ms per plain UPDATE",
            absolute: String(format: "%.3f ms per edit", captureOnly / Double(count) * 1000),
            note: "\(count) claim-draft field edits with change capture (row + field clocks + sealed outbox entry), "
                + "one durable transaction each")
        figures["P1-api" + figureSuffix] = Figure(
            value: ratio, goal: 3, unit: "× plain update", atMost: true,
            baseline: plainMs, baselineUnit: "ms per plain UPDATE",
            absolute: String(format: "%.3f ms per edit", captured / Double(count) * 1000),
            note: "the same edits through the public editClaim: draft checks and the returned claim view added")
    }

    /// P3: a large outbox pushed exactly once.
    mutating func push(_ server: ServerProcess, password: String) async throws {
        let client = try await member("pusher", login: "zhangwei", password: password, server: server)
        _ = try await client.sync()
        try client.queueProfileEdits(mobiles: (0..<sizes.pushChanges).map { String(format: "139%08d", $0) })
        var options = SyncOptions()
        options.skipPull = true
        let (report, seconds) = try await timeAsync { try await client.sync(options) }
        guard report.pushed == sizes.pushChanges else {
            throw SupportError("pushed \(report.pushed) of \(sizes.pushChanges)")
        }
        let rate = Double(sizes.pushChanges) / seconds
        let baseline =
            try server.storeArguments.contains("--database")
            ? try Seed.postgresBulkInsertRowsPerSecond(count: sizes.pushChanges, database: server.storeArguments.last!)
            : try Seed.bulkInsertRowsPerSecond(count: sizes.pushChanges, in: work)
        figures["P3" + figureSuffix] = Figure(
            value: rate / baseline, goal: 0.25, unit: "× bulk insert", atMost: false,
            baseline: baseline, baselineUnit: "rows/s bulk insert", absolute: "\(Report.number(rate)) changes/s",
            note:
                "\(sizes.pushChanges) queued profile changes pushed exactly once\(storeNote); baseline: as many rows bulk-inserted into the same store"
        )
    }
}

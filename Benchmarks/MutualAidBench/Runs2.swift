import Foundation
import GRDB
@_spi(Benchmark) import MemberCore
import MutualAidDomain
import SyncProtocol
import TestSupport

extension Suite {
    /// P4: one 10 MB material through the client's tus upload ÷ curl --data-binary of the
    /// same bytes to the same endpoint; the median of three of each (one upload lasts under a
    /// tenth of a second, and a single one moved by a quarter with the load).
    mutating func upload(_ server: ServerProcess, password: String) async throws {
        let client = try await member("uploader", login: "zhangwei", password: password, server: server)
        _ = try await client.sync()
        let token = try curlLogin(server, password: password)
        // The client's three first: a material curl uploads is still queued on the device and
        // would be looked at by the client's next upload run.
        var ours: [Double] = []
        for _ in 0..<3 { ours.append(try await uploadThroughClient(client)) }
        var theirs: [Double] = []
        for _ in 0..<3 { theirs.append(try await uploadThroughCurl(client, server, token: token)) }
        let seconds = ours.sorted()[1]
        let curlSeconds = theirs.sorted()[1]
        let mbps = Double(sizes.uploadBytes) / 1_048_576 / seconds
        figures["P4" + figureSuffix] = Figure(
            value: curlSeconds / seconds, goal: 0.8, unit: "× curl", atMost: false,
            baseline: Double(sizes.uploadBytes) / 1_048_576 / curlSeconds, baselineUnit: "MB/s curl, one PATCH",
            absolute: String(format: "%.0f MB/s", mbps),
            note:
                "one \(sizes.uploadBytes / 1_048_576) MB material through the client's resumable tus upload, median of 3"
        )
    }

    /// Seconds for the client to upload a newly registered material (its claim pushed first).
    private func uploadThroughClient(_ client: MemberClient) async throws -> Double {
        let file = Self.randomFile(Self.pdf, bytes: sizes.uploadBytes)
        _ = try fileClaim(client, files: [("discharge-summary", file)], submit: false)
        _ = try await client.sync(Self.pushOnly)
        var uploadOnly = SyncOptions()
        uploadOnly.skipPull = true
        let (report, seconds) = try await timeAsync { try await client.sync(uploadOnly) }
        guard report.uploaded == 1 else { throw SupportError("P4: the material was not uploaded (\(report.uploaded))") }
        return seconds
    }

    /// The baseline: seconds for curl to send the same number of bytes in one PATCH to a newly
    /// registered material's upload.
    private func uploadThroughCurl(_ client: MemberClient, _ server: ServerProcess, token: String) async throws
        -> Double
    {
        let second = Self.randomFile(Self.pdf, bytes: sizes.uploadBytes)
        let claimId = try fileClaim(client, files: [("discharge-summary", second)], submit: false)
        _ = try await client.sync(Self.pushOnly)
        let material = try client.claim(claimId).materials[0]
        let path = work.appendingPathComponent("curl-upload.bin")
        try second.write(to: path)
        let metadata =
            "materialId \(Data(material.id.utf8).base64EncodedString()),sha256 \(Data(material.sha256.utf8).base64EncodedString())"
        let created = try run(
            "/usr/bin/curl",
            [
                "-s", "-i", "--cacert", server.certificate, "-X", "POST", "\(server.url)/v1/uploads",
                "-H", "Authorization: Bearer \(token)", "-H", "Tus-Resumable: 1.0.0",
                "-H", "Upload-Length: \(second.count)", "-H", "Upload-Metadata: \(metadata)",
            ])
        guard
            let location = created.output.split(whereSeparator: \.isNewline).first(where: {
                $0.lowercased().hasPrefix("location:")
            })?
            .split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines)
        else { throw SupportError("curl create: \(created.output)") }
        let (patched, curlSeconds) = try time {
            try run(
                "/usr/bin/curl",
                [
                    "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", server.certificate, "-X", "PATCH",
                    "\(server.url)\(location)", "-H", "Authorization: Bearer \(token)", "-H", "Tus-Resumable: 1.0.0",
                    "-H", "Upload-Offset: 0", "-H", "Content-Type: application/offset+octet-stream", "-H", "Expect:",
                    "--data-binary", "@\(path.path)",
                ])
        }
        guard patched.output == "204" else { throw SupportError("curl PATCH answered \(patched.output)") }
        return curlSeconds
    }

    private static var pushOnly: SyncOptions {
        var options = SyncOptions()
        options.skipUploads = true
        options.skipPull = true
        return options
    }

    func curlLogin(_ server: ServerProcess, password: String) throws -> String {
        let body = String(
            decoding: try JSONEncoder().encode(LoginRequest(login: "zhangwei", password: password)), as: UTF8.self)
        let out = try run(
            "/usr/bin/curl",
            [
                "-s", "--cacert", server.certificate, "-H", "Content-Type: application/json",
                "-d", body, "\(server.url)/v1/auth/login",
            ]
        ).output
        return try JSONDecoder().decode(LoginResponse.self, from: Data(out.utf8)).token
    }

    /// P5 and the server half of P6: many clients submit a claim with three materials at once.
    mutating func concurrentClaims(_ server: ServerProcess, passwords: [String: String]) async throws {
        // Each client its own member (`SeedMembers`), as a member's claims come from one device.
        var clients: [(MemberClient, String)] = []
        for i in 0..<sizes.clients {
            let password = passwords[SeedMembers.template.login]!
            let client = try await member("p5-\(i)", login: SeedMembers.login(i), password: password, server: server)
            _ = try await client.sync()
            let id = try fileClaim(
                client,
                files: [
                    ("id-card", Self.randomFile(Self.png, bytes: sizes.materialBytes)),
                    ("bank-card", Self.randomFile(Self.jpeg, bytes: sizes.materialBytes)),
                    ("discharge-summary", Self.randomFile(Self.pdf, bytes: sizes.materialBytes)),
                ])
            clients.append((client, id))
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let latencies = try await withThrowingTaskGroup(of: Double.self) { group in
            for (client, _) in clients {
                group.addTask {
                    let (_, seconds) = try await timeAsync { try await client.sync() }
                    return seconds
                }
            }
            return try await group.reduce(into: [Double]()) { $0.append($1) }.sorted()
        }
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let ids = clients.map(\.1)
        let counts = try await Self.p5Counts(
            server, ids: ids, postgres: try server.storeArguments.contains("--database"))
        let lost = (ids.count - counts.accepted) + max(0, 3 * ids.count - counts.materials)
        let duplicated = max(0, counts.materials - 3 * ids.count) + counts.numbers
        let rate = Double(ids.count) / total
        let p50 = latencies[latencies.count / 2]
        let p99 = latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))]
        // PostgreSQL's P5 is reported beside the goals, which are SQLite's (the issue's table).
        let reported = !figureSuffix.isEmpty
        figures["P5" + figureSuffix] = Figure(
            value: rate, goal: 60, unit: "submissions/s", atMost: false,
            note: String(
                format: "%d clients at once (each its own device folder and HTTPS connection, in the bench process), "
                    + "each a claim with 3 materials of %d KB; p50 %.2f s",
                ids.count, sizes.materialBytes / 1024, p50) + storeNote, reportedOnly: reported)
        figures["P5-p99" + figureSuffix] = Figure(
            value: p99, goal: 5, unit: "s", atMost: true, note: "99th percentile of a client's whole sync",
            reportedOnly: reported)
        figures["P5-lost" + figureSuffix] = Figure(
            value: Double(lost), goal: 0, unit: "claims or materials", atMost: true)
        figures["P5-duplicated" + figureSuffix] = Figure(
            value: Double(duplicated), goal: 0, unit: "claims or materials", atMost: true)
        let mb = Double(server.peakMemory ?? 0) / 1_048_576
        figures["P6-server" + figureSuffix] = Figure(
            value: mb, goal: 300, unit: "MB", atMost: true,
            note: "peak resident memory of sync-server by the end of P5",
            reportedOnly: reported)
    }

    /// P5's members, before the server starts.
    func seedMembers(_ server: ServerProcess) throws {
        let arguments = try server.storeArguments
        if let i = arguments.firstIndex(of: "--database") {
            try SeedMembers.intoPostgres(arguments[i + 1], count: sizes.clients, in: work)
        } else {
            try SeedMembers.intoSQLite(server.database, count: sizes.clients)
        }
    }

    /// Where the figures were measured, for their notes.
    var storeNote: String {
        switch figureSuffix {
        case "-pg": "; PostgreSQL, one instance"
        case "-pg-3": "; PostgreSQL, three instances behind HAProxy"
        default: ""
        }
    }

    /// Claims accepted, materials verified, case numbers issued twice.
    static func p5Counts(_ server: ServerProcess, ids: [String], postgres: Bool) async throws
        -> (accepted: Int, materials: Int, numbers: Int)
    {
        if postgres {
            // Claim ids are UUIDs the clients made: safe to list in the statement.
            let list = ids.map { "'\($0.filter { $0.isHexDigit || $0 == "-" })'" }.joined(separator: ",")
            let sql = """
                SELECT (SELECT COUNT(DISTINCT id) FROM claim WHERE case_number IS NOT NULL AND id IN (\(list))),
                       (SELECT COUNT(*) FROM claim_material WHERE verified = 1 AND claim_id IN (\(list))),
                       (SELECT COUNT(*) - COUNT(DISTINCT case_number) FROM claim WHERE case_number IS NOT NULL)
                """
            let result = try run(
                "/usr/bin/psql", ["-X", "-A", "-t", "-F", ",", try server.storeArguments.last!, "-c", sql])
            let numbers = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",")
                .compactMap { Int($0) }
            guard result.status == 0, numbers.count == 3 else { throw SupportError("psql: \(result.output)") }
            return (numbers[0], numbers[1], numbers[2])
        }
        return try await DatabaseQueue(path: server.data.appendingPathComponent("case-store.sqlite").path).read {
            db in
            (
                accepted: try Int.fetchOne(
                    db,
                    sql:
                        "SELECT COUNT(DISTINCT id) FROM claim WHERE case_number IS NOT NULL AND id IN (SELECT value FROM json_each(?))",
                    arguments: [ClaimDraft.encodeStandardIds(ids)]) ?? 0,
                materials: try Int.fetchOne(
                    db,
                    sql:
                        "SELECT COUNT(*) FROM claim_material WHERE verified = 1 AND claim_id IN (SELECT value FROM json_each(?))",
                    arguments: [ClaimDraft.encodeStandardIds(ids)]) ?? 0,
                numbers: try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) - COUNT(DISTINCT case_number) FROM claim WHERE case_number IS NOT NULL")
                    ?? 0
            )
        }
    }
}

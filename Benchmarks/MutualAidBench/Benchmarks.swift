import Crypto
import Foundation
import GRDB
@_spi(Benchmark) import MemberCore
import MutualAidDomain
import TestSupport

/// One figure of the table: what the goal is about, the goal, and the baseline measured in the
/// same run. For ratio goals `value` is the ratio and `absolute` the measured rate beside it.
struct Figure: Codable {
    var value: Double
    var goal: Double
    var unit: String
    /// The goal is a ceiling (times, memory, latency) rather than a floor (rates, ratios of speed).
    var atMost: Bool
    var baseline: Double = 0
    var baselineUnit: String = ""
    var absolute: String = ""
    var note: String = ""
    /// Reported beside the goals but not judged by them (PostgreSQL's P5, as the issue asks).
    var reportedOnly = false
    var meetsGoal: Bool { atMost ? value <= goal : value >= goal }
}

struct Sizes {
    var pullRecords = 10_000
    var pushChanges = 5_000
    var edits = 300
    var uploadBytes = 10 * 1024 * 1024
    var clients = 20
    var materialBytes = 1024 * 1024

    static let full = Sizes(pullRecords: 100_000, pushChanges: 100_000, edits: 2_000, clients: 200)
}

/// The suite: one server process, fresh client folders, figures P1–P6.
struct Suite {
    let bin: URL
    let work: URL
    let sizes: Sizes
    var only: Set<String>? = nil
    var figures: [String: Figure] = [:]
    /// Appended to every figure's key: "-pg" on PostgreSQL, "-pg-3" with three instances.
    var figureSuffix = ""
    /// A PostgreSQL cluster (`postgres://USER@HOST:PORT/`): P3 and P5 run there too.
    var postgres: String? = nil
    /// Where clients connect when it is not the server itself (HAProxy in front of instances).
    var endpoint: (url: String, certificate: String)? = nil

    func member(_ name: String, login: String, password: String, server: ServerProcess) async throws -> MemberClient {
        let client = try MemberClient(home: work.appendingPathComponent("device-\(name)\(figureSuffix)"))
        _ = try await client.connect(
            url: endpoint?.url ?? server.url, caFile: endpoint?.certificate ?? server.certificate, pinnedPublicKey: nil)
        _ = try await client.login(login, password: password)
        return client
    }

    /// Incompressible content. Eight bytes per draw: byte by byte, making the 600 MB of the full
    /// P5 took minutes.
    static func randomFile(_ head: [UInt8], bytes: Int) -> Data {
        var data = Data(count: bytes)
        var rng = SystemRandomNumberGenerator()
        data.withUnsafeMutableBytes { raw in
            let words = raw.count / 8
            for i in 0..<words { raw.storeBytes(of: rng.next(), toByteOffset: i * 8, as: UInt64.self) }
            for i in (words * 8)..<raw.count { raw[i] = UInt8.random(in: 0...255, using: &rng) }
        }
        data.replaceSubrange(0..<head.count, with: head)
        return data
    }

    static let pdf = Array("%PDF-1.4\n".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]

    func today(_ offset: Int) -> String {
        CalendarDate.today(in: CalendarDate.chinaTimeZone).adding(days: offset).description
    }

    /// A complete hospitalisation claim draft with the given files attached, submitted.
    func fileClaim(_ client: MemberClient, files: [(item: String, data: Data)], submit: Bool = true) throws -> String {
        let claim = try client.newClaim(
            ClaimInput(
                claimType: .hospitalization, standardIds: ["std-staff-med"],
                admitted: today(-9), discharged: today(-2), hospital: "商洛市中心医院", diagnosis: "肺炎"))
        _ = try client.setPayee(claim.id, PayeeInput(bankAccount: "6222020200112233445", bankName: "中国工商银行"))
        for (i, file) in files.enumerated() {
            let url = work.appendingPathComponent("file-\(claim.id)-\(i)")
            try file.data.write(to: url)
            _ = try client.attach(claim.id, item: file.item, files: [url.path])
            try? FileManager.default.removeItem(at: url)
        }
        if submit { _ = try client.submit(claim.id) }
        return claim.id
    }
}

import Foundation
import TestSupport
import Testing

/// A member files a hospitalisation claim with no network and it becomes a case once the
/// link is back; through the real binaries over TLS.
@Suite(.serialized) struct ClaimJourneyTests {
    static func makeFiles(in dir: URL) throws -> (png: String, jpeg: String, pdf: String) {
        func file(_ name: String, _ head: [UInt8], _ size: Int) throws -> String {
            var data = Data(head)
            data.append(Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ size) }))
            let url = dir.appendingPathComponent(name)
            try data.write(to: url)
            return url.path
        }
        return (
            try file("id-front.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], 400_000),
            try file("bank-card.jpg", [0xFF, 0xD8, 0xFF, 0xE0], 250_000),
            try file("discharge.pdf", Array("%PDF-1.4\n".utf8), 1_500_000)
        )
    }

    func today(offset days: Int = 0) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let date = calendar.date(byAdding: .day, value: days, to: Date())!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    @Test func anOfflineClaimBecomesACaseAfterSync() throws {
        let (server, passwords) = try ServerProcess.demo()
        let phone = Device("phone")
        try phone.signIn(server, login: "zhangwei", password: passwords["zhangwei"]!)
        let enrolments = try phone.cli(["enrolments", "--json"]).json()["enrolments"] as! [[String: Any]]
        let standards = enrolments.flatMap { $0["standards"] as! [[String: String]] }
        let hospital = try #require(
            standards.first { $0["claimType"] == "hospitalization" && $0["id"] == "std-staff-med" })

        server.stop()
        let created = try phone.cli([
            "claim", "new", "--type", "hospitalization", "--standard", hospital["id"]!,
            "--admitted", today(offset: -12), "--discharged", today(offset: -3),
            "--hospital", "商洛市中心医院", "--diagnosis", "社区获得性肺炎", "--json",
        ])
        #expect(created.status == 0, "\(created.stderr)")
        let id = try #require(try created.json()["id"] as? String)
        #expect(
            try phone.cli([
                "claim", "payee", id, "--relation", "self", "--name", "张伟", "--mobile", "13912345678",
                "--bank-account", "6222020200112233445", "--bank-name", "中国工商银行商洛分行",
            ]).status == 0)
        let files = try Self.makeFiles(in: Scratch.directory("photos"))
        for (item, path) in [("id-card", files.png), ("bank-card", files.jpeg), ("discharge-summary", files.pdf)] {
            let attached = try phone.cli(["claim", "attach", id, "--item", item, path])
            #expect(attached.status == 0, "\(attached.stderr)")
        }
        let checklist = try phone.cli(["claim", "materials", id, "--json"]).json()["items"] as! [[String: Any]]
        #expect(checklist.first { $0["item"] as? String == "id-card" }?["count"] as? Int == 1)
        #expect(checklist.first { $0["item"] as? String == "id-card" }?["max"] as? Int == 2)
        #expect(checklist.first { $0["item"] as? String == "id-card" }?["required"] as? Bool == true)
        let submitted = try phone.cli(["claim", "submit", id, "--json"])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(try submitted.json()["state"] as? String == "pending-sync")
        #expect(try phone.cli(["claim", "edit", id, "--hospital", "别的医院"]).stderr.contains("申领已提交，不能再修改"))
        #expect(try phone.cli(["sync"]).status == 3)  // offline: nothing lost

        try server.start()
        let sync = try phone.cli(["sync", "--json"]).json()
        #expect(sync["uploaded"] as? Int == 3)
        let shown = try phone.cli(["claim", "show", id, "--json"]).json()
        let caseNumber = try #require(shown["caseNumber"] as? String)
        #expect(caseNumber.range(of: #"^CL2602\d{8}\d{8}$"#, options: .regularExpression) != nil)
        #expect(shown["state"] as? String == "first-review")
        let materials = shown["materials"] as! [[String: Any]]
        #expect(materials.count == 3 && materials.allSatisfy { $0["uploaded"] as? Bool == true })
        #expect((shown["trail"] as! [[String: Any]]).contains { ($0["note"] as? String)?.contains(caseNumber) == true })
        #expect(try phone.cli(["claim", "show", id]).stdout.contains("案件号：\(caseNumber)"))

        let stored = try storeRow(server, "SELECT case_number, state, source FROM claim WHERE id = ?", [id])
        #expect(stored?[0] == caseNumber)
        #expect(stored?[2] == "member-app")
        #expect(
            try storeInt(server, "SELECT COUNT(*) FROM claim_material WHERE claim_id = ? AND verified = 1", [id]) == 3)
        #expect(try phone.cli(["verify", "--json"]).json()["ok"] as? Bool == true)
        server.stop()
    }

    @Test func anUploadResumesAfterTheServerIsKilledMidFile() throws {
        let (server, passwords) = try ServerProcess.demo()
        let phone = Device("phone")
        try phone.signIn(server, login: "lina", password: passwords["lina"]!)
        let id =
            try phone.cli([
                "claim", "new", "--type", "hospitalization", "--standard", "std-staff-med",
                "--admitted", today(offset: -5), "--discharged", today(offset: -1),
                "--hospital", "洛南县医院", "--diagnosis", "骨折", "--json",
            ]).json()["id"] as! String
        let files = try Self.makeFiles(in: Scratch.directory("photos"))
        #expect(try phone.cli(["claim", "attach", id, "--item", "discharge-summary", files.pdf]).status == 0)
        let total = 1_500_000 + 9
        let chunk = 131_072

        server.stop()
        try server.start(environment: ["SYNC_SERVER_CRASH_AT": "after-upload-patch", "SYNC_SERVER_CRASH_AFTER": "4"])
        let interrupted = try phone.cli(["sync"], environment: ["MEMBER_CLI_CHUNK_BYTES": String(chunk)])
        #expect(interrupted.status != 0)
        #expect(server.waitForExit())
        let held = try storeInt(server, #"SELECT "offset" FROM upload"#) ?? -1
        #expect(held == 4 * chunk)  // four chunks were durable when it died
        let beforeResume = try phone.cli(["status", "--json"]).json()["uploadedBytes"] as! Int
        #expect(beforeResume >= held)

        try server.start()
        let resumed = try phone.cli(["sync", "--json"], environment: ["MEMBER_CLI_CHUNK_BYTES": String(chunk)])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let sent = try phone.cli(["status", "--json"]).json()["uploadedBytes"] as! Int
        #expect(sent - total <= chunk, "bytes sent again: \(sent - total)")
        #expect(sent >= total)
        let verified = try storeInt(server, "SELECT verified FROM claim_material WHERE claim_id = ?", [id])
        #expect(verified == 1)
        server.stop()
    }

    @Test func badFilesAreRefusedAtAttachAndTheStoreIsSealed() throws {
        let (server, passwords) = try ServerProcess.demo()
        let phone = Device("phone")
        try phone.signIn(server, login: "wangfang", password: passwords["wangfang"]!)
        server.stop()
        let id =
            try phone.cli([
                "claim", "new", "--type", "hospitalization", "--standard", "std-staff-med",
                "--admitted", today(offset: -5), "--json",
            ]).json()["id"] as! String
        let dir = Scratch.directory("files")
        let fake = dir.appendingPathComponent("photo.jpg")
        try Data("这不是图片".utf8).write(to: fake)
        let notImage = try phone.cli(["claim", "attach", id, "--item", "id-card", fake.path])
        #expect(notImage.status != 0)
        #expect(notImage.stderr.contains("不是 png、jpeg 或 pdf"))
        let big = dir.appendingPathComponent("big.jpg")
        try (Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data(count: 11 * 1024 * 1024)).write(to: big)
        let tooBig = try phone.cli(["claim", "attach", id, "--item", "id-card", big.path])
        #expect(tooBig.status != 0)
        #expect(tooBig.stderr.contains("超过10MB"))
        #expect(
            (try phone.cli(["claim", "materials", id, "--json"]).json()["items"] as! [[String: Any]])
                .allSatisfy { $0["count"] as? Int == 0 })

        // Bad dates are refused with a reason, and change nothing.
        let future = try phone.cli(["claim", "edit", id, "--discharged", today(offset: 3)])
        #expect(future.stderr.contains("出院日期不能晚于今天"))
        let backwards = try phone.cli(["claim", "edit", id, "--discharged", today(offset: -9)])
        #expect(backwards.stderr.contains("出院日期不能早于入院日期"))
        let old = try phone.cli([
            "claim", "new", "--type", "hospitalization", "--standard", "std-staff-med", "--admitted", "2023-01-05",
        ])
        #expect(old.stderr.contains("保障期间") || old.stderr.contains("两年"))
        #expect(try phone.cli(["claim", "payee", id, "--mobile", "12345"]).stderr.contains("手机号码"))

        let files = try Self.makeFiles(in: dir)
        #expect(try phone.cli(["claim", "attach", id, "--item", "id-card", files.png]).status == 0)
        try FileManager.default.removeItem(atPath: files.png)  // the store keeps its own copy
        #expect(try phone.cli(["claim", "payee", id, "--bank-account", "6222020200112233445"]).status == 0)
        let original = try Self.makeFiles(in: Scratch.directory("again")).png
        let originalBytes = try Data(contentsOf: URL(fileURLWithPath: original))
        let stored = try FileManager.default.contentsOfDirectory(
            atPath: phone.home.appendingPathComponent("materials").path)
        #expect(stored.count == 1)
        let sealed = try Data(contentsOf: phone.home.appendingPathComponent("materials/\(stored[0])"))
        #expect(sealed.range(of: originalBytes.prefix(64)) == nil)
        #expect(sealed.range(of: originalBytes.subdata(in: 1000..<1064)) == nil)
        let database =
            try Data(contentsOf: phone.home.appendingPathComponent("member.sqlite"))
            + ((try? Data(contentsOf: phone.home.appendingPathComponent("member.sqlite-wal"))) ?? Data())
        #expect(database.range(of: Data("6222020200112233445".utf8)) == nil)
        let keyAttributes = try FileManager.default.attributesOfItem(
            atPath: phone.home.appendingPathComponent("keys/store.key").path)
        #expect((keyAttributes[.posixPermissions] as? Int) == 0o600)
    }
}

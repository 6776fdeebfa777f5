import Foundation
import TestSupport
import Testing

/// 材料查看 through the real binaries over TLS: the county agent downloads a member's three
/// materials (hashes checked by sha256sum against the member's originals), exports and prints
/// them again with the server stopped, is refused a tampered vault copy, and staff out of scope
/// and another member get nothing — from their client, nor from the server directly.
@Suite(.serialized) struct EvidenceReviewTests {
    static func tool(_ name: String) throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        throw SupportError("找不到 \(name)。请先运行 scripts/setup（poppler-utils、coreutils、curl）")
    }

    static func sha256(_ path: String) throws -> String {
        String(try run(try tool("sha256sum"), [path]).stdout.prefix(64))
    }

    static func files(in dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }

    @Test func theCountyAgentReviewsMaterialsOnlineAndOfflineAndNobodyElseGetsThem() throws {
        let o = try CaseWorkflowTests.Office(extraAgents: [("ln-agent", "sl-ln")])
        defer { o.server.stop() }
        let originals = try ClaimJourneyTests.makeFiles(in: Scratch.directory("photos"))
        let byItem = ["id-card": originals.png, "bank-card": originals.jpeg, "discharge-summary": originals.pdf]
        let day = CaseWorkflowTests.day
        let id =
            try o.ok(
                "zhangwei",
                [
                    "claim", "new", "--type", "hospitalization", "--standard", "std-staff-med",
                    "--admitted", day(-20), "--discharged", day(-11), "--hospital", "商洛市中心医院", "--diagnosis", "肺炎",
                ])["id"] as! String
        try o.ok("zhangwei", ["claim", "payee", id, "--bank-account", "6222020200112233445", "--bank-name", "中国工商银行"])
        for (item, file) in byItem.sorted(by: { $0.key < $1.key }) {
            try o.ok("zhangwei", ["claim", "attach", id, "--item", item, file])
        }
        try o.ok("zhangwei", ["claim", "submit", id])
        try o.ok("zhangwei", ["sync"])
        let number = try o.ok("zhangwei", ["claim", "show", id])["caseNumber"] as! String

        // Listed from the replica: three materials on the server, none here yet.
        try o.ok("sz-agent", ["sync"])
        let listed = try o.ok("sz-agent", ["case", "materials", number])["materials"] as! [[String: Any]]
        #expect(listed.count == 3)
        #expect(listed.allSatisfy { $0["onServer"] as? Bool == true && $0["fetched"] as? Bool == false })
        let materialIds = listed.compactMap { $0["id"] as? String }

        // Downloaded: the contract's shape, and each file the member's original byte for byte.
        let online = Scratch.directory("review-online")
        let result = try o.ok("sz-agent", ["case", "materials", number, "--out", online.path])
        #expect(Array(result.keys) == ["files"])
        let files = try #require(result["files"] as? [[String: Any]])
        #expect(files.count == 3)
        for file in files {
            #expect(Set(file.keys) == ["item", "path", "sha256", "bytes"])
            let item = try #require(file["item"] as? String)
            let path = try #require(file["path"] as? String)
            let original = try #require(byItem[item])
            #expect(path.hasPrefix(online.path + "/"))
            #expect(try Self.sha256(path) == Self.sha256(original))
            #expect(file["sha256"] as? String == (try Self.sha256(original)))
            #expect(
                file["bytes"] as? Int == (try FileManager.default.attributesOfItem(atPath: original)[.size] as? Int))
        }
        // Kept sealed in the agent's vault: the original's bytes are nowhere in it.
        let agentHome = o.devices["sz-agent"]!.home
        let png = try Data(contentsOf: URL(fileURLWithPath: originals.png))
        for materialId in materialIds {
            let sealed = try Data(contentsOf: agentHome.appendingPathComponent("materials/\(materialId).bin"))
            #expect(sealed.range(of: png.prefix(64).suffix(48)) == nil)
        }

        // The server stopped: the files and the 材料汇总 come from the vault.
        o.server.stop()
        let offline = Scratch.directory("review-offline")
        let human = try o.cli("sz-agent", ["case", "materials", number, "--out", offline.path])
        #expect(human.status == 0, "\(human.stderr)")
        #expect(human.stdout.contains("身份证正反面") && human.stdout.contains("390.6 KB"))
        #expect(human.stdout.contains(offline.appendingPathComponent("id-card-1.png").path))
        #expect(Self.files(in: offline) == ["bank-card-1.jpg", "discharge-summary-1.pdf", "id-card-1.png"])
        #expect(
            try Self.sha256(offline.appendingPathComponent("discharge-summary-1.pdf").path)
                == Self.sha256(originals.pdf))
        let pdf = Scratch.directory("review-pdf").appendingPathComponent("材料汇总.pdf")
        let printed = try o.cli("sz-agent", ["case", "materials", number, "--pdf", pdf.path])
        #expect(printed.status == 0, "\(printed.stderr)")
        let info = try run(try Self.tool("pdfinfo"), [pdf.path])
        #expect(info.stdout.range(of: #"Pages:\s+4\n"#, options: .regularExpression) != nil, "\(info.stdout)")
        for page in 1...4 {
            let text = try run(try Self.tool("pdftotext"), ["-f", "\(page)", "-l", "\(page)", pdf.path, "-"])
            #expect(text.status == 0 && text.stdout.contains(number), "page \(page) lacks the case number")
        }

        // A changed byte in a vault copy: refused, no file written; online again it is fetched anew.
        let vaultFile = agentHome.appendingPathComponent("materials/\(materialIds[0]).bin")
        var sealed = try Data(contentsOf: vaultFile)
        sealed[sealed.count / 2] ^= 0x01
        try sealed.write(to: vaultFile)
        let tampered = Scratch.directory("review-tampered")
        let refused = try o.cli("sz-agent", ["case", "materials", number, "--out", tampered.path])
        #expect(refused.status == 1 && refused.stderr.contains("已损坏或被改动"), "\(refused.stderr)")
        #expect(Self.files(in: tampered).isEmpty)
        try o.server.start()
        #expect(
            (try o.ok("sz-agent", ["case", "materials", number, "--out", tampered.path])["files"] as? [Any])?.count == 3
        )

        // Out of scope (洛南县) and another member: refused by their client, and by the server.
        for login in ["ln-agent", "lina"] {
            try o.ok(login, ["sync"])
            let out = Scratch.directory("review-\(login)")
            let denied = try o.cli(login, ["case", "materials", number, "--out", out.path])
            #expect(denied.status != 0 && denied.stderr.contains("错误"), "\(login): \(denied.stdout)")
            #expect(Self.files(in: out).isEmpty)
        }
        let curl = try Self.tool("curl")
        for (login, expected) in [("ln-agent", "404"), ("lina", "404"), ("sz-agent", "200")] {
            let password = o.passwords[login] ?? "pw-\(login)-123"
            let body = #"{"login":"\#(login)","password":"\#(password)"}"#
            let session = try run(
                curl,
                [
                    "-s", "--max-time", "10", "--cacert", o.server.certificate, "-H", "Content-Type: application/json",
                    "-d", body, "\(o.server.url)/v1/auth/login",
                ])
            let token = try #require(try session.json()["token"] as? String, "\(login): \(session.stdout)")
            let fetched = try run(
                curl,
                [
                    "-s", "--max-time", "10", "--cacert", o.server.certificate, "-o", "/dev/null", "-w", "%{http_code}",
                    "-H", "Authorization: Bearer \(token)", "\(o.server.url)/v1/materials/\(materialIds[0])",
                ])
            #expect(fetched.stdout == expected, "\(login)")
        }
    }
}

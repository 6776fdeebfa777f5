import Foundation
import TestSupport
import Testing

/// Members going live on their own, through the real binaries over TLS: activation with an SMS
/// code read from the server's outbox (`sync-server sms list`), refusals that create nothing,
/// and a forgotten password reset by code or by an agency.
@Suite(.serialized) struct ActivationTests {
    struct Person {
        let idNumber: String
        let name: String
        let mobile: String
    }

    /// A demo server, its logins' passwords and the insured persons without an account.
    struct Demo {
        let server: ServerProcess
        let passwords: [String: String]
        let unactivated: [Person]

        init() throws {
            server = ServerProcess(data: Scratch.directory("server"))
            let result = try run(Binaries.syncServer, ["demo"] + (try server.storeArguments) + ["--json"], timeout: 120)
            guard result.status == 0 else { throw SupportError("demo: \(result.stderr)") }
            let json = try result.json()
            var passwords: [String: String] = [:]
            for login in json["logins"] as? [[String: Any]] ?? [] {
                passwords[login["login"] as! String] = login["password"] as? String
            }
            self.passwords = passwords
            unactivated = (json["unactivated"] as? [[String: Any]] ?? []).map {
                Person(
                    idNumber: $0["idNumber"] as! String, name: $0["name"] as! String, mobile: $0["mobile"] as! String)
            }
            try server.start()
        }

        /// A device connected to the server, nobody logged in.
        func device(_ name: String) throws -> Device {
            let device = Device(name)
            let connected = try device.cli(["connect", server.url, "--ca-file", server.certificate])
            guard connected.status == 0 else { throw SupportError("connect: \(connected.stderr)") }
            return device
        }

        /// The texts of the outbox, oldest first.
        func sms(to mobile: String? = nil) throws -> [String] {
            let result = try run(Binaries.syncServer, ["sms", "list"] + (try server.storeArguments) + ["--json"])
            guard result.status == 0 else { throw SupportError("sms list: \(result.stderr)") }
            let messages = try result.json()["messages"] as? [[String: Any]] ?? []
            return messages.filter { mobile == nil || $0["mobile"] as? String == mobile }.compactMap {
                $0["text"] as? String
            }
        }

        /// The 6-digit code of the newest SMS to `mobile`.
        func code(to mobile: String) throws -> String {
            let text = try #require(try sms(to: mobile).last)
            let range = try #require(text.range(of: #"验证码 \d{6}"#, options: .regularExpression))
            return String(text[range].suffix(6))
        }

        func accounts(login: String) throws -> Int {
            try storeInt(server, "SELECT COUNT(*) FROM account WHERE login = ?", [login]) ?? -1
        }
    }

    static let password = "Huzhu2026new"

    @Test func anInsuredPersonActivatesLogsInByIdOrMobileAndFilesAClaim() throws {
        let demo = try Demo()
        defer { demo.server.stop() }
        #expect(demo.unactivated.count >= 2)
        let chen = demo.unactivated[0]
        let phone = try demo.device("chen-phone")
        #expect(try demo.accounts(login: chen.idNumber) == 0)

        let sent = try phone.cli([
            "activate", "--id-number", chen.idNumber, "--name", chen.name, "--mobile", chen.mobile,
        ])
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.contains("139****2001"))
        let code = try demo.code(to: chen.mobile)
        let done = try phone.cli(
            ["activate", "--id-number", chen.idNumber, "--code", code, "--password-stdin"], stdin: Self.password + "\n")
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout.contains("激活成功"))
        #expect(try demo.accounts(login: chen.idNumber) == 1)
        // One account per ID number: the used code does not make a second.
        let again = try phone.cli(
            ["activate", "--id-number", chen.idNumber, "--code", code, "--password-stdin"], stdin: Self.password + "\n")
        #expect(again.status != 0 && again.stderr.contains("没有有效的验证码"), "\(again.stderr)")
        // Asking for a code again with the matching fields says the account exists.
        let twice = try phone.cli([
            "activate", "--id-number", chen.idNumber, "--name", chen.name, "--mobile", chen.mobile,
        ])
        #expect(twice.status != 0 && twice.stderr.contains("已激活"), "\(twice.stderr)")

        // The new member files a claim like any other.
        #expect(try phone.cli(["sync"]).status == 0)
        let day = CaseWorkflowTests.day
        let files = try ClaimJourneyTests.makeFiles(in: Scratch.directory("photos"))
        let created = try phone.cli(
            [
                "claim", "new", "--type", "hospitalization", "--standard", "std-staff-med", "--admitted", day(-20),
                "--discharged", day(-11), "--hospital", "商洛市中心医院", "--diagnosis", "肺炎", "--json",
            ])
        #expect(created.status == 0, "\(created.stderr)")
        let id = try created.json()["id"] as! String
        for step in [
            ["claim", "payee", id, "--bank-account", "6222020200112233445", "--bank-name", "中国工商银行"],
            ["claim", "attach", id, "--item", "id-card", files.png],
            ["claim", "attach", id, "--item", "bank-card", files.jpeg],
            ["claim", "attach", id, "--item", "discharge-summary", files.pdf],
            ["claim", "submit", id], ["sync"],
        ] {
            let result = try phone.cli(step)
            #expect(result.status == 0, "\(step): \(result.stderr)")
        }
        let shown = try phone.cli(["claim", "show", id, "--json"]).json()
        #expect((shown["caseNumber"] as? String)?.hasPrefix("CL") == true)

        // Another device logs in with the ID number, a third with the mobile.
        for (name, login) in [("chen-tablet", chen.idNumber), ("chen-pc", chen.mobile)] {
            let device = try demo.device(name)
            let login = try device.cli(["login", login, "--password-stdin"], stdin: Self.password + "\n")
            #expect(login.status == 0, "\(login.stderr)")
        }
        let sessions = try phone.cli(["sessions", "--json"]).json()["sessions"] as? [[String: Any]] ?? []
        #expect(sessions.count == 3)
        #expect(sessions.filter { $0["current"] as? Bool == true }.count == 1)
        #expect(sessions.allSatisfy { ($0["clientId"] as? String)?.isEmpty == false && $0["firstSeen"] is String })
        #expect(
            sessions.allSatisfy { Set($0.keys).isSuperset(of: ["id", "clientId", "firstSeen", "lastSeen", "current"]) })
    }

    @Test func wrongFieldsAnExpiredCodeAndTooManyAttemptsCreateNothing() throws {
        let demo = try Demo()
        defer { demo.server.stop() }
        let (chen, liu) = (demo.unactivated[0], demo.unactivated[1])
        let phone = try demo.device("refused")

        // A wrong name or mobile: the same answer, no SMS, no account.
        for (name, mobile) in [("陈晶", chen.mobile), (chen.name, "13909169999")] {
            let result = try phone.cli(["activate", "--id-number", chen.idNumber, "--name", name, "--mobile", mobile])
            #expect(result.status != 0)
            #expect(result.stderr.contains("与参保登记不一致"), "\(result.stderr)")
        }
        #expect(try demo.sms(to: chen.mobile).isEmpty && demo.sms(to: "13909169999").isEmpty)
        // A malformed ID number is answered before anything is sent.
        let malformed = try phone.cli([
            "activate", "--id-number", "61100219920214", "--name", chen.name, "--mobile", chen.mobile,
        ])
        #expect(malformed.status != 0 && malformed.stderr.contains("身份证"))

        // An expired code.
        #expect(
            try phone.cli(["activate", "--id-number", chen.idNumber, "--name", chen.name, "--mobile", chen.mobile])
                .status == 0)
        let code = try demo.code(to: chen.mobile)
        try storeExecute(
            demo.server, "UPDATE verification_code SET expires_at = ? WHERE purpose = 'activate'",
            ["2020-01-01T00:00:00.000Z"])
        let expired = try phone.cli(
            ["activate", "--id-number", chen.idNumber, "--code", code, "--password-stdin"], stdin: Self.password + "\n")
        #expect(expired.status != 0)
        #expect(expired.stderr.contains("验证码已过期"), "\(expired.stderr)")
        #expect(try demo.accounts(login: chen.idNumber) == 0)

        // Five wrong codes void the right one.
        #expect(
            try phone.cli(["activate", "--id-number", liu.idNumber, "--name", liu.name, "--mobile", liu.mobile]).status
                == 0)
        let right = try demo.code(to: liu.mobile)
        let wrong = right == "000000" ? "111111" : "000000"
        for attempt in 1...5 {
            let result = try phone.cli(
                ["activate", "--id-number", liu.idNumber, "--code", wrong, "--password-stdin"],
                stdin: Self.password + "\n")
            #expect(result.status != 0)
            let expected = attempt < 5 ? "还可再试 \(5 - attempt) 次" : "错误次数过多"
            #expect(result.stderr.contains(expected), "attempt \(attempt): \(result.stderr)")
        }
        let late = try phone.cli(
            ["activate", "--id-number", liu.idNumber, "--code", right, "--password-stdin"], stdin: Self.password + "\n")
        #expect(late.status != 0 && late.stderr.contains("没有有效的验证码"), "\(late.stderr)")
        #expect(try demo.accounts(login: liu.idNumber) == 0)
        // Asking again at once is refused with the wait, in Chinese.
        let soon = try phone.cli(["activate", "--id-number", liu.idNumber, "--name", liu.name, "--mobile", liu.mobile])
        #expect(soon.status != 0 && soon.stderr.contains("过于频繁"), "\(soon.stderr)")
        #expect(
            try storeInt(
                demo.server, "SELECT COUNT(*) FROM account WHERE login IN (?, ?)", [chen.idNumber, liu.idNumber]) == 0)
    }

    @Test func aResetByCodeEndsEveryOtherSessionAndARevokedDeviceIsSignedOut() throws {
        let demo = try Demo()
        defer { demo.server.stop() }
        let old = demo.passwords["zhangwei"]!
        let (phone, tablet, laptop) = (Device("zw-phone"), Device("zw-tablet"), Device("zw-laptop"))
        for device in [phone, tablet, laptop] { try device.signIn(demo.server, login: "zhangwei", password: old) }

        // Revoking one device from another ends that device's session only.
        let sessions = try phone.cli(["sessions", "--json"]).json()["sessions"] as? [[String: Any]] ?? []
        #expect(sessions.count == 3)
        let others = sessions.filter { $0["current"] as? Bool == false }.compactMap { $0["id"] as? String }
        #expect(others.count == 2)
        let laptopSessions = try laptop.cli(["sessions", "--json"]).json()["sessions"] as? [[String: Any]] ?? []
        let laptopId = try #require(laptopSessions.first { $0["current"] as? Bool == true }?["id"] as? String)
        #expect(try phone.cli(["sessions", "revoke", laptopId]).status == 0)
        let revoked = try laptop.cli(["sync"])
        #expect(revoked.status != 0 && revoked.stderr.contains("登录"), "\(revoked.stderr)")
        #expect(try tablet.cli(["sync"]).status == 0)
        let unknown = try phone.cli(["sessions", "revoke", laptopId])
        #expect(unknown.status != 0 && unknown.stderr.contains("没有该登录设备"))

        // The phone resets the forgotten password; the tablet is signed out, the old password void.
        let start = try phone.cli(["reset-password", "--login", "zhangwei"])
        #expect(start.status == 0, "\(start.stderr)")
        let text = try #require(try demo.sms().last { $0.contains("重置密码") })
        let code = String(text[try #require(text.range(of: #"\d{6}"#, options: .regularExpression))])
        let reset = try phone.cli(
            ["reset-password", "--login", "zhangwei", "--code", code, "--password-stdin"], stdin: Self.password + "\n")
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(try phone.cli(["sync"]).status == 0)
        let tabletAfter = try tablet.cli(["sync"])
        #expect(tabletAfter.status != 0 && tabletAfter.stderr.contains("登录"), "\(tabletAfter.stderr)")
        #expect(try tablet.cli(["login", "zhangwei", "--password-stdin"], stdin: old + "\n").status != 0)
        #expect(try tablet.cli(["login", "zhangwei", "--password-stdin"], stdin: Self.password + "\n").status == 0)
        // An unknown login is answered like a known one and sends nothing.
        let before = try demo.sms().count
        let ghost = try phone.cli(["reset-password", "--login", "nobody-here"])
        #expect(
            ghost.status == 0 && ghost.stdout == start.stdout.replacingOccurrences(of: "zhangwei", with: "nobody-here"))
        #expect(try demo.sms().count == before)
    }

    @Test func anAgencyGivesAMemberOfItsSubtreeAOneTimePassword() throws {
        let demo = try Demo()
        defer { demo.server.stop() }
        let (member, agent, clerk) = (Device("zw"), Device("agent"), Device("clerk"))
        try member.signIn(demo.server, login: "zhangwei", password: demo.passwords["zhangwei"]!)
        try agent.signIn(demo.server, login: "sz-agent", password: demo.passwords["sz-agent"]!)
        try clerk.signIn(demo.server, login: "unit001", password: demo.passwords["unit001"]!)

        // A unit clerk may not; an agency may, for an account of its subtree.
        let refused = try clerk.cli(["admin", "user", "reset", "zhangwei"])
        #expect(refused.status != 0 && refused.stderr.contains("只有代办机构和办事处"), "\(refused.stderr)")
        let outside = try agent.cli(["admin", "user", "reset", "nobody-here"])
        #expect(outside.status != 0 && outside.stderr.contains("没有该账号"), "\(outside.stderr)")
        let done = try agent.cli(["admin", "user", "reset", "zhangwei", "--json"])
        #expect(done.status == 0, "\(done.stderr)")
        let mobile = try done.json()["mobile"] as? String
        #expect(mobile?.contains("****") == true)

        let text = try #require(try demo.sms().last { $0.contains("临时密码") })
        let range = try #require(text.range(of: #"临时密码 [A-Za-z0-9]{12}"#, options: .regularExpression))
        let oneTime = String(text[range].suffix(12))
        let signedOut = try member.cli(["sync"])
        #expect(signedOut.status != 0, "the reset ends the member's sessions")
        let login = try member.cli(["login", "zhangwei", "--password-stdin", "--json"], stdin: oneTime + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        #expect(try login.json()["mustChangePassword"] as? Bool == true)
        let change = try member.cli(["password", "--password-stdin"], stdin: oneTime + "\n" + Self.password + "\n")
        #expect(change.status == 0, "\(change.stderr)")
        #expect(try member.cli(["sync"]).status == 0)
    }
}

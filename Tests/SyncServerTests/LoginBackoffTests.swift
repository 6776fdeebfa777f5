import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import SyncStorage
import Testing

@testable import MemberCore
@testable import SyncServer

/// Login back-off: the pure rule with fixed times, then over real TLS from two loopback addresses.
@Suite struct LoginBackoffTests {
    let t0 = Date(timeIntervalSince1970: 1_000_000)

    /// The rule applied to `n` let-through attempts that all failed.
    func failures(_ throttle: LoginThrottle, _ n: Int, at time: Date) -> LoginThrottle.Record? {
        var record: LoginThrottle.Record?
        for _ in 0..<n { record = throttle.afterAttempt(record, now: time) }
        return record
    }

    @Test func thePairWaitsLongerAfterEachFailureUpToTheCap() {
        let throttle = LoginThrottle()  // 3 free, 2 s doubling, 15 min cap
        #expect(throttle.decide(.init(pair: failures(throttle, 2, at: t0)), now: t0) == .allow)
        #expect(throttle.decide(.init(pair: failures(throttle, 3, at: t0)), now: t0) == .wait(seconds: 2))
        #expect(throttle.decide(.init(pair: failures(throttle, 4, at: t0)), now: t0) == .wait(seconds: 4))
        #expect(throttle.decide(.init(pair: failures(throttle, 7, at: t0)), now: t0) == .wait(seconds: 32))
        #expect(throttle.decide(.init(pair: failures(throttle, 40, at: t0)), now: t0) == .wait(seconds: 900))
        #expect(throttle.decide(.init(pair: failures(throttle, 40, at: t0)), now: t0 + 899.5) == .wait(seconds: 1))
        #expect(throttle.decide(.init(pair: failures(throttle, 40, at: t0)), now: t0 + 900) == .allow)
        // A record quiet for a day is forgotten: the next failure counts from one.
        let old = failures(throttle, 40, at: t0)
        #expect(throttle.afterAttempt(old, now: t0 + 86_400).failures == 1)
    }

    @Test func anAddressFailingOnManyLoginsWaitsToo() {
        let throttle = LoginThrottle()
        #expect(throttle.decide(.init(address: failures(throttle, 19, at: t0)), now: t0) == .allow)
        #expect(throttle.decide(.init(address: failures(throttle, 20, at: t0)), now: t0) == .wait(seconds: 2))
    }

    /// Many failures from many addresses slow a login for the addresses that failed on it, never
    /// for a clean address: the right password from there always gets through.
    @Test func theLoginCeilingSparesCleanAddresses() {
        let throttle = LoginThrottle()  // ceiling: 200 failures, then one attempt per 10 s
        let account = failures(throttle, 500, at: t0)
        #expect(throttle.decide(.init(pair: nil, address: nil, account: account), now: t0 + 1) == .allow)
        #expect(
            throttle.decide(.init(pair: failures(throttle, 1, at: t0), account: account), now: t0 + 1)
                == .wait(seconds: 9))
        #expect(throttle.decide(.init(pair: failures(throttle, 1, at: t0), account: account), now: t0 + 10) == .allow)
        #expect(
            throttle.decide(
                .init(pair: failures(throttle, 1, at: t0), account: failures(throttle, 199, at: t0)),
                now: t0 + 1) == .allow)
    }

    @Test func aTakenBackAttemptIsNoLongerAFailure() {
        let throttle = LoginThrottle()
        #expect(throttle.takingBack(failures(throttle, 1, at: t0)) == nil)
        #expect(throttle.takingBack(failures(throttle, 3, at: t0))?.failures == 2)
        #expect(throttle.takingBack(nil) == nil)
    }

    /// Status, code, message and Retry-After are the same for a login that exists and one that
    /// does not, through the 401s and into the back-off; so is the time a wrong password takes.
    @Test func unknownAndKnownLoginsGetIdenticalAnswers() async throws {
        let server = try await TestServer.start {
            $0.throttle.freeFailures = 3
            $0.throttle.baseDelay = 600
            $0.hasher = PasswordHasher(logN: 14, r: 8, p: 1)  // slow enough to see whether scrypt ran
        }
        defer { Task { await server.stop() } }
        // The known login's hash at the server's cost too (the demo data is hashed cheaply).
        let hash = try PasswordHasher(logN: 14, r: 8, p: 1).hash(server.password("lina"))
        try await server.store.database.write { db in
            try db.execute(sql: "UPDATE account SET password_hash = ? WHERE login = 'lina'", arguments: [hash])
        }
        struct Answer: Equatable {
            var status: Int
            var code: String
            var message: String
            var retryAfter: String?
        }
        var seconds: [String: [Double]] = [:]
        var answers: [String: [Answer]] = [:]
        var answeredAt: [String: [Date]] = [:]
        for attempt in 0..<5 {
            for login in ["lina", "no-such-login"] {
                let body = try JSONEncoder().encode(LoginRequest(login: login, password: "wrong-\(attempt)"))
                let start = Date()
                let r = try await server.raw("POST", "/v1/auth/login", body: body)
                if attempt < 3 { seconds[login, default: []].append(Date().timeIntervalSince(start)) }
                answeredAt[login, default: []].append(Date())
                let error = try JSONDecoder().decode(APIErrorBody.self, from: r.body).error
                answers[login, default: []].append(
                    Answer(
                        status: r.status, code: error.code, message: error.message,
                        retryAfter: r.header("retry-after")))
            }
        }
        // Identical but for the clock: Retry-After counts down from each login's own last failure,
        // so the two may straddle a second boundary (a slow scrypt check under load).
        func withoutWait(_ a: [Answer]?) -> [Answer]? {
            a?.map {
                var b = $0
                b.retryAfter = nil
                return b
            }
        }
        #expect(withoutWait(answers["lina"]) == withoutWait(answers["no-such-login"]))
        // The two failures lie as far apart as one wrong-password check takes (seconds under
        // load), and each login's wait counts from its own: so far apart, plus rounding.
        let knownAnswers = zip(answers["lina"] ?? [], answeredAt["lina"] ?? [])
        for ((k, kAt), (u, uAt)) in zip(
            knownAnswers, zip(answers["no-such-login"] ?? [], answeredAt["no-such-login"] ?? []))
        {
            #expect((k.retryAfter == nil) == (u.retryAfter == nil))
            if let a = k.retryAfter.flatMap(Int.init), let b = u.retryAfter.flatMap(Int.init) {
                let apart = Int(abs(uAt.timeIntervalSince(kAt)).rounded(.up))
                #expect(abs(a - b) <= 1 + apart, "Retry-After \(a) s and \(b) s, answered \(apart) s apart")
            }
        }
        #expect(answers["lina"]?.map(\.status) == [401, 401, 401, 429, 429])
        // The fastest of each: load from the tests beside it only ever adds time (one check of
        // three took three times the other's under a full parallel run), and without scrypt the
        // unknown login's fastest would be a small fraction of the known one's.
        let known = seconds["lina"]!.min()!
        let unknown = seconds["no-such-login"]!.min()!
        print("fastest wrong-password time: known \(known) s, unknown \(unknown) s")
        #expect(unknown > known / 3 && unknown < known * 3)
    }

    /// Parallel guesses are reserved one by one before scrypt runs: with 3 free failures, exactly
    /// 3 of 12 simultaneous wrong guesses are checked and the rest wait.
    @Test func parallelWrongGuessesAreAllCounted() async throws {
        let server = try await TestServer.start {
            $0.throttle.freeFailures = 3
            $0.throttle.baseDelay = 600
        }
        defer { Task { await server.stop() } }
        let bad = try JSONEncoder().encode(LoginRequest(login: "lina", password: "wrong-password"))
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<12 { group.addTask { try await server.raw("POST", "/v1/auth/login", body: bad).status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 401 }.count == 3)
        #expect(statuses.filter { $0 == 429 }.count == 9)
        let pair = try await server.store.database.read { db in
            try db.fetchValue(
                Int.self,
                sql: "SELECT failures FROM login_backoff WHERE key = ?",
                arguments: [LoginThrottle.keys(login: "lina", address: "127.0.0.1").pair])
        }
        #expect(pair == 3)
    }

    /// A password change ends the account's other sessions (not the one that made it), and a
    /// wrong current password counts as a failed login from that address.
    @Test func aPasswordChangeEndsOtherSessionsAndIsThrottled() async throws {
        let server = try await TestServer.start {
            $0.throttle.freeFailures = 2
            $0.throttle.baseDelay = 600
        }
        defer { Task { await server.stop() } }
        let here = try await server.login("lina")
        let other = try await server.login("lina")
        let old = server.password("lina")
        func change(_ current: String, _ new: String, token: String, from: String? = nil) async throws -> HTTPResponse {
            try await server.raw(
                "POST", "/v1/auth/password", token: token,
                body: try JSONEncoder().encode(PasswordChangeRequest(currentPassword: current, newPassword: new)),
                from: from)
        }
        #expect(try await change("wrong-one", "Another-Pass-2026", token: here.token).status == 403)
        #expect(try await change("wrong-two", "Another-Pass-2026", token: here.token).status == 403)
        let waiting = try await change(old, "Another-Pass-2026", token: here.token)
        #expect(waiting.status == 429)
        #expect(waiting.header("retry-after").flatMap(Int.init).map { (590...600).contains($0) } == true)
        #expect(try await server.raw("GET", "/v1/me", token: other.token).status == 200)  // nothing changed yet

        let changed = try await change(old, "Another-Pass-2026", token: here.token, from: "127.0.0.2")
        #expect(changed.status == 200, "\(String(decoding: changed.body, as: UTF8.self))")
        #expect(try await server.raw("GET", "/v1/me", token: here.token).status == 200)
        #expect(try await server.raw("GET", "/v1/me", token: other.token).status == 401)
        let relogin = try JSONEncoder().encode(LoginRequest(login: "lina", password: "Another-Pass-2026"))
        #expect(try await server.raw("POST", "/v1/auth/login", body: relogin, from: "127.0.0.3").status == 200)
    }

    /// A hash made at a lower cost is replaced at the next successful login, transparently.
    @Test func aCheaperHashIsReplacedAtTheNextLogin() async throws {
        let server = try await TestServer.start { $0.hasher = PasswordHasher(logN: 11, r: 8, p: 1) }  // stored: logN 10
        defer { Task { await server.stop() } }
        func stored() async throws -> String? {
            try await server.store.database.read { db in
                try db.fetchValue(String.self, sql: "SELECT password_hash FROM account WHERE login = 'lina'")
            }
        }
        #expect(try await stored()?.hasPrefix("scrypt$10$8$1$") == true)
        _ = try await server.login("lina")
        let rehashed = try await stored()
        #expect(rehashed?.hasPrefix("scrypt$11$8$1$") == true)
        _ = try await server.login("lina")
        #expect(try await stored() == rehashed)  // not again once at the cost
        #expect(
            try await server.store.database.read { db in
                try db.fetchValue(String.self, sql: "SELECT password_hash FROM account WHERE login = 'zhangwei'")
            }?.hasPrefix("scrypt$10$") == true)  // others wait for their own login
    }

    @Test func theStandardCostIsTwoToTheSeventeenth() {
        #expect(PasswordHasher.standard.logN == 17 && PasswordHasher.standard.r == 8 && PasswordHasher.standard.p == 1)
        #expect(PasswordHasher.standard.needsRehash("scrypt$15$8$1$AAAA$AAAA"))
        #expect(!PasswordHasher.standard.needsRehash("scrypt$17$8$1$AAAA$AAAA"))
    }
}

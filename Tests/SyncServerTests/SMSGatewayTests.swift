import Foundation
import Hummingbird
import Logging
import PostgresStorage
import ServiceLifecycle
import SyncStorage
import TestSupport
import Testing

@testable import SyncServer

/// The HTTP SMS gateway drains the outbox into a provider on loopback (plain HTTP, started by
/// the test): a message written while the provider is down goes out once it is up, once per
/// message; a refusal, a timeout or a non-2xx answer is tried again after a back-off; and two
/// server processes on one store never post the same message twice.
@Suite struct SMSGatewayTests {
    static let token = "Bearer sms-test-token"

    @Test func aMessageWrittenWhileTheProviderIsDownIsDeliveredOnceItIsUp() async throws {
        let store = try await openStore(in: Scratch.directory("sms"))
        defer { Task { await (store.database as? PostgresDatabase)?.close() } }
        let port = try freePort()  // nothing listens there yet: connections are refused
        let texts = ["初始密码：Secret\"1\\a\n{id}", "初始密码：Secret2bbbb"]
        try await store.database.write { db in
            for (index, text) in texts.enumerated() {
                try SMSOutbox().send(
                    to: "1391234567\(index)", text: text, redacted: "初始密码：******", now: Date(), db)
            }
        }
        let gateway = try GatewayRun.start(store: store, configuration: Self.configuration(port: port))

        // Down: each message is tried, refused, and scheduled again, its text kept for the operator.
        try await eventually("two refused attempts on every message") {
            try await Self.outbox(store).allSatisfy { $0.attempts >= 2 }
        }
        for row in try await Self.outbox(store) {
            let error = try #require(row.lastError)
            #expect(row.nextAttemptAt != nil && row.deliveredAt == nil)
            #expect(!error.contains("Secret") && !error.contains("1391234567"), "\(error)")
        }
        #expect(try await store.smsMessages().map(\.text) == texts)

        // Up: both go out, then the outbox lists nothing and keeps no secret.
        let receiver = try await SMSReceiver.start(port: port)
        try await eventually("the outbox drained") { try await store.smsMessages().isEmpty }
        try await Task.sleep(for: .milliseconds(300))  // a second post would come within this
        await gateway.stop()
        await receiver.stop()

        let rows = try await Self.outbox(store)
        #expect(rows.map(\.text) == ["初始密码：******", "初始密码：******"])
        #expect(rows.allSatisfy { $0.deliveredAt != nil })
        let received = await receiver.received
        let keys = rows.map { "\($0.id)-\($0.createdAt.filter(\.isNumber))" }
        #expect(received.map { $0.headers["idempotency-key"] ?? "" }.sorted() == keys.sorted())
        for request in received {
            #expect(request.headers["authorization"] == Self.token)
            #expect(request.headers["content-type"]?.hasPrefix("application/json") == true)
            let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: String])
            let index = try #require(keys.firstIndex(of: body["id"] ?? ""))
            #expect(body == ["mobile": "1391234567\(index)", "text": texts[index], "id": keys[index]])
        }
    }

    /// Timed out and 503: both tried again, later each time, with the same key; the last failure
    /// is kept beside the attempt count.
    @Test func aTimeoutAndANon2xxAnswerAreRetriedWithBackOff() async throws {
        let store = try await openStore(in: Scratch.directory("sms"))
        defer { Task { await (store.database as? PostgresDatabase)?.close() } }
        let receiver = try await SMSReceiver.start(port: try freePort(), answers: [.stall(3), .status(503)])
        var configuration = try Self.configuration(port: receiver.port, timeout: 2)
        configuration.retryBase = 0.2
        configuration.retryCap = 1
        let gateway = try GatewayRun.start(store: store, configuration: configuration)
        try await store.database.write { db in
            try SMSOutbox().send(to: "13912345678", text: "初始密码：Secret3ccc", redacted: "初始密码：***", now: Date(), db)
        }
        try await eventually("the message delivered") { try await store.smsMessages().isEmpty }
        await gateway.stop()
        await receiver.stop()

        let received = await receiver.received
        #expect(received.count == 3)
        #expect(Set(received.map { $0.headers["idempotency-key"] ?? "" }).count == 1)
        // Each try waits out its back-off after the failure before it (a failure comes after the
        // request arrived): 0.2 s, then twice that.
        if received.count == 3 {
            #expect(received[1].at.timeIntervalSince(received[0].at) >= 0.19)
            #expect(received[2].at.timeIntervalSince(received[1].at) >= 0.39)
        }
        let row = try #require(try await Self.outbox(store).first)
        #expect(row.attempts == 2)
        #expect(row.lastError == "HTTP 503")
        #expect(row.text == "初始密码：***" && row.deliveredAt != nil)
    }

    /// Two processes on one store (two store handles: two SQLite pools on one file, or two
    /// PostgreSQL pools on one database) both run a gateway: every message is posted once.
    @Test func twoInstancesOnOneStorePostEachMessageOnce() async throws {
        let directory = Scratch.directory("sms")
        let store = try await openStore(in: directory)
        let other: SQLCaseStore
        if let database = store.database as? PostgresDatabase {
            other = try await SQLCaseStore.connect(url: database.url, poolSize: 2)
        } else {
            other = try SQLCaseStore(path: directory.appendingPathComponent("case-store.sqlite").path)
        }
        defer {
            Task {
                await (store.database as? PostgresDatabase)?.close()
                await (other.database as? PostgresDatabase)?.close()
            }
        }
        let receiver = try await SMSReceiver.start(port: try freePort(), answers: [], delay: 0.03)
        var configuration = try Self.configuration(port: receiver.port)
        // Both instances stay alive: no claim may run out, however long the full suite keeps
        // this test from running (a lease that runs out is a crash, and the message goes again).
        configuration.leaseMargin = 900
        let gateways = try [
            GatewayRun.start(store: store, configuration: configuration),
            GatewayRun.start(store: other, configuration: configuration),
        ]
        try await store.database.write { db in
            for index in 0..<8 {
                try SMSOutbox().send(to: "1391234560\(index)", text: "初始密码：S\(index)", redacted: "***", now: Date(), db)
            }
        }
        try await eventually("all eight delivered") { try await store.smsMessages().isEmpty }
        try await Task.sleep(for: .milliseconds(300))
        for gateway in gateways { await gateway.stop() }
        await receiver.stop()
        let keys = await receiver.received.map { $0.headers["idempotency-key"] ?? "" }
        #expect(keys.count == 8)
        #expect(Set(keys).count == 8)
    }

    @Test func theTemplateEscapesValuesAndBadSettingsAreRefused() throws {
        let text = "密码\"x\\y\n\t\u{1}{id}{text}"
        let rendered = SMSTemplate.render(
            SMSGatewayConfiguration.defaultTemplate, mobile: "13912345678", text: text, id: "7-2026")
        let object = try JSONSerialization.jsonObject(with: Data(rendered.utf8)) as? [String: String]
        #expect(object == ["mobile": "13912345678", "text": text, "id": "7-2026"])
        #expect(SMSTemplate.render("{x}{mobile}{", mobile: "1", text: "", id: "") == "{x}1{")

        let gateway = try SMSGatewayConfiguration(
            url: "https://user:pw@sms.example.com:8443/send?key=secret", headers: ["X-Api-Key:  abc def "])
        #expect(gateway.headers == [HTTPHeaderLine(name: "X-Api-Key", value: "abc def")])
        #expect(gateway.displayAddress == "https://sms.example.com:8443")
        #expect(gateway.retryDelay(afterFailures: 1) == 1)
        #expect(gateway.retryDelay(afterFailures: 3) == 4)
        #expect(gateway.retryDelay(afterFailures: 40) == 60)
        #expect(throws: SMSGatewayConfiguration.Invalid.self) {
            try SMSGatewayConfiguration(url: "https://sms.example.com", template: #"{"id":{id}}"#)
        }
        #expect(throws: SMSGatewayConfiguration.Invalid.self) {
            try SMSGatewayConfiguration(url: "ftp://sms.example.com")
        }
        for header in ["NoColon", "Bad Name: x", "X-A: b\r\nX-Injected: c"] {
            #expect(throws: SMSGatewayConfiguration.Invalid.self) {
                try SMSGatewayConfiguration(url: "https://sms.example.com", headers: [header])
            }
        }
    }

    // MARK: Helpers

    /// Fast back-off and polling, so retries take milliseconds.
    static func configuration(port: Int, timeout: TimeInterval = 2) throws -> SMSGatewayConfiguration {
        var configuration = try SMSGatewayConfiguration(
            url: "http://127.0.0.1:\(port)/sms", headers: ["Authorization: \(token)"], timeout: timeout)
        configuration.retryBase = 0.05
        configuration.retryCap = 0.2
        configuration.pollInterval = .milliseconds(20)
        return configuration
    }

    struct OutboxRow: Sendable {
        let id: Int64
        let text: String
        let createdAt: String
        let attempts: Int
        let lastError: String?
        let nextAttemptAt: String?
        let deliveredAt: String?
    }

    static func outbox(_ store: SQLCaseStore) async throws -> [OutboxRow] {
        try await store.database.read { db in
            try db.fetchAll(sql: "SELECT * FROM sms_outbox ORDER BY id").map {
                OutboxRow(
                    id: try $0["id"], text: try $0["text"], createdAt: try $0["created_at"],
                    attempts: try $0["attempts"], lastError: try $0["last_error"],
                    nextAttemptAt: try $0["next_attempt_at"], deliveredAt: try $0["delivered_at"])
            }
        }
    }
}

/// Polls `condition` until it holds; fails naming `what` after `seconds` of running. Time this
/// test spent not running at all does not count: with every core's thread of the cooperative
/// pool held by the end-to-end suites (which wait for child processes), a poll can come back
/// minutes later, and the gateway under test was not running meanwhile either. Bounded anyway.
func eventually(
    _ what: String, seconds: Double = 20, _ condition: @escaping @Sendable () async throws -> Bool
) async throws {
    var deadline = Date().addingTimeInterval(seconds)
    let limit = Date().addingTimeInterval(max(seconds, 300))
    var last = Date()
    while !(try await condition()) {
        let now = Date()
        let stalled = now.timeIntervalSince(last)
        if stalled > 1 { deadline = min(deadline.addingTimeInterval(stalled), limit) }
        if now >= deadline { throw SupportError("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
        last = Date()
    }
}

/// A gateway service in its own service group, as `sync-server serve` runs it.
struct GatewayRun {
    let group: ServiceGroup
    let task: Task<Void, any Error>

    static func start(store: SQLCaseStore, configuration: SMSGatewayConfiguration) throws -> GatewayRun {
        var logger = Logger(label: "sms-gateway-test")
        logger.logLevel = .critical
        let service = SMSDeliveryService(store: store, configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [], logger: logger))
        return GatewayRun(group: group, task: Task { try await group.run() })
    }

    /// Drains: the post in flight finishes (bounded by the gateway's timeout).
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await withTimeout(seconds: 10) { [task] in try await task.value }
    }
}

/// A provider on a loopback port over plain HTTP: records every POST and answers from `answers`
/// in turn (then 200), after `delay`.
final class SMSReceiver: Sendable {
    enum Answer: Sendable {
        case status(Int)
        /// Holds the request this long before answering 200 (the gateway times out first).
        case stall(Double)
    }

    struct Request: Sendable {
        let headers: [String: String]
        let body: Data
        let at: Date
    }

    private actor Log {
        var requests: [Request] = []
        var answers: [Answer]
        init(answers: [Answer]) { self.answers = answers }

        func record(_ request: Request) -> Answer {
            requests.append(request)
            return answers.isEmpty ? .status(200) : answers.removeFirst()
        }
    }

    let port: Int
    private let log: Log
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var received: [Request] { get async { await log.requests } }

    private init(port: Int, log: Log, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.log = log
        self.group = group
        self.task = task
    }

    static func start(port: Int, answers: [Answer] = [], delay: Double = 0) async throws -> SMSReceiver {
        let log = Log(answers: answers)
        let router = Router()
        router.post("sms") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let answer = await log.record(Request(headers: headers, body: Data(body.readableBytesView), at: Date()))
            if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
            switch answer {
            case .status(let code):
                return Response(status: .init(code: code))
            case .stall(let seconds):
                try await Task.sleep(for: .seconds(seconds))
                return Response(status: .ok)
            }
        }
        var logger = Logger(label: "sms-receiver")
        logger.logLevel = .critical
        let (running, continuation) = AsyncStream.makeStream(of: Void.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { _ in continuation.yield() }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        _ = try await withTimeout(seconds: 20) { await running.first { _ in true } }
        return SMSReceiver(port: port, log: log, group: group, task: task)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await withTimeout(seconds: 10) { [task] in try await task.value }
    }
}

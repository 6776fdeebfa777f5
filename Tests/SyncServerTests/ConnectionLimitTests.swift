import Foundation
import MutualAidDomain
import SyncProtocol
import TestSupport
import Testing

@testable import MemberCore
@testable import SyncServer

/// Connection bounds over real sockets: idle timeout, TLS 1.2 minimum, the connection cap and the
/// upload cap; `openssl s_client` plays the raw TLS client.
@Suite struct ConnectionLimitTests {
    @Test func anIdleConnectionIsClosedWithinItsTimeout() async throws {
        let server = try await TestServer.start { $0.limits.idleTimeout = .seconds(1) }
        defer { Task { await server.stop() } }
        let start = Date()
        let client = try OpenSSLClient(port: server.port)  // handshakes, then sends nothing
        let closed = await client.waitForExit(seconds: 8)
        let elapsed = Date().timeIntervalSince(start)
        client.terminate()
        #expect(closed, "the server kept an idle TLS connection open")
        #expect(elapsed >= 0.9, "closed after \(elapsed) s, before the idle timeout")
    }

    @Test func aRequestBodyTricklingPastTheReadTimeoutIsCut() async throws {
        let server = try await TestServer.start {
            $0.limits.idleTimeout = .seconds(30)
            $0.limits.requestReadTimeout = .seconds(1)
        }
        defer { Task { await server.stop() } }
        let client = try OpenSSLClient(port: server.port)
        client.send(
            "POST /v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        let trickle = Task {
            for _ in 0..<20 {
                try await Task.sleep(for: .milliseconds(300))
                client.send(" ")
            }
        }
        let closed = await client.waitForExit(seconds: 8)
        trickle.cancel()
        client.terminate()
        #expect(closed, "a body trickling one byte at a time kept its connection")
    }

    /// The server refuses TLS 1.1 itself: the client allows it (security level 0) and receives
    /// the server's protocol-version alert; the same client with TLS 1.2 connects.
    @Test func tls11IsRefusedByTheServer() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let old = try OpenSSLClient.run(port: server.port, ["-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"])
        print("openssl -tls1_1:", old.output.split(separator: "\n").filter { $0.contains("alert") })
        #expect(old.status != 0)
        #expect(old.output.contains("alert protocol version"), "the refusal should come from the server")
        let current = try OpenSSLClient.run(port: server.port, ["-tls1_2"])
        #expect(current.status == 0, "\(current.output.suffix(600))")
        #expect(current.output.contains("TLSv1.2"))
    }

    /// Beyond the cap a connection waits (in the listen backlog) until another one closes.
    @Test func connectionsBeyondTheCapWaitForAFreeOne() async throws {
        let server = try await TestServer.start {
            $0.limits.maxConnections = 2
            $0.limits.idleTimeout = .seconds(30)
        }
        defer { Task { await server.stop() } }
        let first = try OpenSSLClient(port: server.port)
        let second = try OpenSSLClient(port: server.port)
        defer {
            first.terminate()
            second.terminate()
        }
        try await Task.sleep(for: .seconds(1.5))
        let health = HTTPRequest(method: "GET", url: server.baseURL + "/v1/health", timeout: 2)
        var refused = false
        do { _ = try await server.transport().send(health) } catch { refused = true }
        #expect(refused, "a third connection was served beyond the cap of 2")
        first.terminate()
        let served = try await server.transport().send(
            HTTPRequest(method: "GET", url: server.baseURL + "/v1/health", timeout: 10))
        #expect(served.status == 200)
    }

    /// Beyond the uploads handled at once (and the queue), a PATCH is answered 503 with Retry-After.
    @Test func uploadsBeyondTheCapAreAnswered503() async throws {
        let server = try await TestServer.start {
            $0.limits.maxUploads = 1
            $0.limits.uploadQueue = 0
            $0.limits.idleTimeout = .seconds(30)
        }
        defer { Task { await server.stop() } }
        // Two members (a registration reuses its change ids), one upload each.
        let sessions = [try await server.login("zhangwei"), try await server.login("lina")]
        var locations: [String] = []
        var registered: [UploadTests.Registered] = []
        for session in sessions {
            let r = try await UploadTests.register(server, session)
            let created = try await UploadTests.create(server, session.token, r)
            #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
            locations.append(try #require(created.header("location")))
            registered.append(r)
        }
        // A slow PATCH holds the only slot: its headers and a first part of the body, then nothing.
        let slow = try OpenSSLClient(port: server.port)
        defer { slow.terminate() }
        slow.send(
            "PATCH \(locations[0]) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(sessions[0].token)\r\n"
                + "Tus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
                + "Content-Length: \(registered[0].data.count)\r\n\r\n" + String(repeating: "x", count: 1000))
        try await Task.sleep(for: .seconds(1.5))
        let busy = try await UploadFixtures.patch(
            server, sessions[1].token, locations[1], offset: 0, registered[1].data)
        #expect(busy.status == 503)
        #expect(busy.header("retry-after") != nil && busy.header("tus-resumable") == "1.0.0")
        #expect(try JSONDecoder().decode(APIErrorBody.self, from: busy.body).error.code == "server_busy")
        // The member client waits as told and sends again: its upload completes once the slot frees.
        let uploader = TusUploader(
            api: server.api(token: sessions[1].token), chunkSize: 1 << 20, maxChunkSize: 1 << 20,
            willSend: { _ in }, progress: { _ in })
        let release = Task {
            try await Task.sleep(for: .seconds(1))
            slow.terminate()
        }
        let (second, secondURL) = (registered[1], locations[1])
        let outcome = try await withTimeout(seconds: 60) {
            try await uploader.upload(
                materialId: second.materialId, item: "id-card", data: second.data,
                sha256: second.sha, resumeURL: secondURL, remember: { _ in })
        }
        try await release.value
        #expect(outcome == .completed)
    }

    /// Beyond the sync requests handled at once (and the queue), a pull is answered 503 too.
    @Test func syncRequestsBeyondTheCapAreAnswered503() async throws {
        let server = try await TestServer.start {
            $0.limits.maxSyncRequests = 1
            $0.limits.syncQueue = 0
            $0.limits.idleTimeout = .seconds(30)
        }
        defer { Task { await server.stop() } }
        let session = try await server.login("zhangwei")
        let slow = try OpenSSLClient(port: server.port)  // a push whose body never finishes
        defer { slow.terminate() }
        slow.send(
            "POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(session.token)\r\n"
                + "Content-Type: application/json\r\n\(ProtocolVersion.header): 1\r\nContent-Length: 1000\r\n\r\n{")
        try await Task.sleep(for: .seconds(1.5))
        let busy = try await server.raw("GET", "/v1/sync/pull?after=0", token: session.token)
        #expect(busy.status == 503 && busy.header("retry-after") != nil)
        slow.terminate()
        try await Task.sleep(for: .seconds(0.5))
        #expect(try await server.raw("GET", "/v1/sync/pull?after=0", token: session.token).status == 200)
    }

    /// The limit itself: one runs, one waits, the next is refused; a waiter past its time leaves.
    @Test func aConcurrencyLimitQueuesThenRefuses() async throws {
        let limit = ConcurrencyLimit(limit: 1, queueLimit: 1, maxWait: .milliseconds(300), retryAfterSeconds: 3)
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let holder = Task { try await limit.run { for await _ in gate { break } } }
        while limit.load.running == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let waiter = Task { try await limit.run { "ran" } }
        while limit.load.waiting == 0 { try await Task.sleep(for: .milliseconds(10)) }
        await #expect(throws: ServerError.self) { try await limit.run { "refused" } }
        do {
            _ = try await waiter.value
            Issue.record("the waiter ran while the slot was held")
        } catch let e as ServerError {
            #expect(e.status == .serviceUnavailable && e.headers[.retryAfter] == "3")
        }
        open.yield()
        open.finish()
        try await holder.value
        #expect(try await limit.run { "free again" } == "free again")
        #expect(limit.load.running == 0 && limit.load.waiting == 0)
    }
}

/// `openssl s_client` as a raw TLS client: connects, then sends only what it is told to.
final class OpenSSLClient: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()

    init(port: Int, _ extra: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_client", "-connect", "127.0.0.1:\(port)", "-quiet"] + extra
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try launch(process)
    }

    func send(_ text: String) { try? input.fileHandleForWriting.write(contentsOf: Data(text.utf8)) }

    /// Whether the process ended (the server closed the connection) within the time.
    func waitForExit(seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return !process.isRunning
    }

    /// SIGKILL: a test process may have SIGTERM ignored, and children inherit that.
    func terminate() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// One handshake with stdin closed: exit status and everything printed.
    static func run(port: Int, _ extra: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_client", "-connect", "127.0.0.1:\(port)"] + extra
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try launch(process)
        DispatchQueue.global().asyncAfter(deadline: .now() + 20) {  // bounded
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

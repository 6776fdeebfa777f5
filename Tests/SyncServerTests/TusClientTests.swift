import Foundation
import MutualAidDomain
import TestSupport
import XCTest

@testable import MemberCore
@testable import SyncServer

/// A standard tus client, tuspy (PyPI), against the server: creation with metadata, chunks with
/// `upload_checksum=True` (tuspy sends sha1), an interruption after the first chunk, and a
/// resume from the stored URL in a new process.
final class TusClientTests: XCTestCase {
    static let script = #"""
        import json, os, sys
        from tusclient import client
        base, token, path, chunk, mode = sys.argv[1:6]
        c = client.TusClient(base + "/v1/uploads", headers={"Authorization": "Bearer " + token})
        meta = json.loads(os.environ["TUS_METADATA"])
        if mode == "first":
            up = c.uploader(file_path=path, chunk_size=int(chunk), metadata=meta, upload_checksum=True)
            up.upload_chunk()  # then the process ends: an interrupted upload
            print(json.dumps({"url": up.url, "offset": up.offset}))
        else:
            up = c.uploader(file_path=path, chunk_size=int(chunk), metadata=meta, upload_checksum=True, url=sys.argv[6])
            resumed_at = up.offset
            up.upload()
            print(json.dumps({"url": up.url, "offset": up.offset, "resumedAt": resumed_at}))
        """#

    func testTuspyUploadsWithChecksumsAndResumes() async throws {
        try Self.ensureTuspy()
        var rng = SplitMix64(environment: "TUSPY_SEED", default: 0x7057)
        let server = try await TestServer.start()
        let session = try await server.login("zhangwei")
        let r = try await UploadFixtures.register(
            server, session, data: UploadFixtures.png(700_000, &rng), client: "tuspy")
        let dir = server.directory.appendingPathComponent("tuspy")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("scan.png")
        let script = dir.appendingPathComponent("upload.py")
        try r.data.write(to: file)
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        let metadata = String(
            decoding: try JSONSerialization.data(withJSONObject: ["materialId": r.materialId, "sha256": r.sha]),
            as: UTF8.self)
        let env = ["TUS_METADATA": metadata, "REQUESTS_CA_BUNDLE": server.caFile]
        let chunk = 256 * 1024
        let common = [script.path, server.baseURL, session.token, file.path, String(chunk)]

        let first = try await Self.offPool { try Self.run(common + ["first"], environment: env) }
        let url = try XCTUnwrap(first["url"] as? String)
        XCTAssertEqual(first["offset"] as? Int, chunk)
        let verifiedEarly = try await UploadFixtures.verified(server, r.materialId)
        XCTAssertFalse(verifiedEarly)

        let second = try await Self.offPool { try Self.run(common + ["resume", url], environment: env) }
        XCTAssertEqual(second["resumedAt"] as? Int, chunk, "tuspy resumes where the server says it stopped")
        XCTAssertEqual(second["offset"] as? Int, r.data.count)
        let verified = try await UploadFixtures.verified(server, r.materialId)
        XCTAssertTrue(verified)
        let fetched = try await server.raw("GET", "/v1/materials/\(r.materialId)", token: session.token, headers: [])
        XCTAssertEqual(fetched.status, 200)
        XCTAssertEqual(fetched.body, r.data)
        await server.stop()
    }

    /// Blocking work on a thread of its own, so the in-process server keeps the task pool.
    static func offPool(_ work: @escaping @Sendable () throws -> Data) async throws -> [String: Any] {
        let box: Result<Data, any Error> = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { try work() }) }.start()
        }
        return (try JSONSerialization.jsonObject(with: try box.get()) as? [String: Any]) ?? [:]
    }

    /// tuspy from PyPI, installed by pip if it is missing; skipped only when pip cannot.
    static func ensureTuspy() throws {
        if (try? run(["-c", "import tusclient"], json: false)) != nil { return }
        _ = try? run(["-m", "pip", "install", "--quiet", "tuspy"], json: false, timeout: 300)
        if (try? run(["-c", "import tusclient"], json: false)) != nil { return }
        _ = try? run(
            ["-m", "pip", "install", "--quiet", "--user", "--break-system-packages", "tuspy"], json: false, timeout: 300
        )
        guard (try? run(["-c", "import tusclient"], json: false)) != nil else {
            throw XCTSkip(
                "tuspy is not installed and `python3 -m pip install tuspy` could not install it (no network or no pip)")
        }
    }

    /// Runs python3 with a time limit and answers the last line of its output.
    @discardableResult
    static func run(
        _ arguments: [String], environment: [String: String] = [:], json: Bool = true,
        timeout: TimeInterval = 120
    ) throws -> Data {
        // The shared runner: output to files, a deadline, and the one launch lock every test
        // process start goes through (Foundation's Process.run is not safe in parallel).
        let result = try TestSupport.run(
            "/usr/bin/env", ["python3"] + arguments, environment: environment, timeout: timeout)
        guard result.status == 0 else {
            throw SupportError("python3 \(arguments.prefix(2)) failed: \(result.stderr.suffix(2000))")
        }
        let output = Data(result.stdout.utf8)
        let last = String(decoding: output, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        return Data((json ? last : "").utf8)
    }
}

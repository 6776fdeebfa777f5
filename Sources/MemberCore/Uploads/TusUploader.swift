import Crypto
import Foundation
import MutualAidDomain

/// Progress of one material's upload, for human output.
public struct UploadProgress: Sendable {
    public var item: String
    public var sent: Int64
    public var total: Int64
    public var bytesPerSecond: Double
}

/// Uploads one material with tus 1.0.0: a material of one chunk in the creating request, a
/// larger one created once, then PATCHed in chunks with a sha256 per chunk; after any failure
/// it asks the server (HEAD) how much it holds and goes on from there, so at most the chunk in
/// flight is ever sent twice.
struct TusUploader: Sendable {
    let api: APIClient
    let chunkSize: Int
    /// Above `chunkSize`: chunks grow towards it while the link is fast. Each PATCH costs the
    /// server an fsync and a commit, so on a fast link 1 MiB chunks spent more time in those
    /// than on the bytes; a chunk still stays small enough to resend in about a second.
    var maxChunkSize: Int
    /// Whether a material of one chunk goes in the creating request (`SyncOptions`).
    var wholeFileInCreation = true
    /// Called before each PATCH with the bytes about to be sent (for the sent-bytes counter).
    let willSend: @Sendable (Int) async throws -> Void
    let progress: @Sendable (UploadProgress) -> Void

    static let tusVersion = "1.0.0"

    enum Outcome { case completed, alreadyOnServer }

    func upload(
        materialId: String, item: String, data: Data, sha256: String, resumeURL: String?,
        remember: @Sendable (String?) async throws -> Void
    ) async throws -> Outcome {
        let total = Int64(data.count)
        var url = resumeURL
        var offset: Int64 = 0
        if let existing = url {
            switch try await head(existing) {
            case .some(let held): offset = held
            case .none: url = nil
            }
        }
        let started = Date()
        var sentThisRun: Int64 = 0
        var checksumFailures = 0
        var busyAnswers = 0
        var size = chunkSize
        // A material that fits in one chunk goes whole in the creating request (tus
        // creation-with-upload): one request instead of two, and the server records no upload.
        var wholeInCreation = wholeFileInCreation
        while true {
            if url == nil, wholeInCreation, total <= Int64(size) {
                try await willSend(data.count)
                let response: HTTPResponse
                do {
                    response = try await api.transport.send(
                        creationRequest(materialId: materialId, length: total, sha256: sha256, body: data))
                } catch let error where error.isTransient {
                    wholeInCreation = false  // the server may hold it or not: the next creation asks
                    continue
                } catch {
                    throw APIClient.error(from: error)
                }
                switch response.status {
                case 201:
                    let held = response.header("upload-offset").flatMap { Int64($0) } ?? 0
                    if held == total {
                        let seconds = max(Date().timeIntervalSince(started), 0.001)
                        progress(
                            UploadProgress(
                                item: item, sent: total, total: total, bytesPerSecond: Double(total) / seconds))
                        return .completed
                    }
                    guard let location = response.header("location") else { throw APIClient.error(from: response) }
                    (url, offset) = (location, held)
                    try await remember(location)
                case 409: return .alreadyOnServer
                case 460 where checksumFailures < 2: checksumFailures += 1
                case 503 where busyAnswers < 20:
                    busyAnswers += 1
                    try await waitAsAsked(response)
                default: throw APIClient.error(from: response)
                }
                continue
            }
            if url == nil {
                guard let created = try await create(materialId: materialId, length: total, sha256: sha256) else {
                    return .alreadyOnServer
                }
                url = created
                offset = 0
                try await remember(created)
            }
            guard let target = url, offset < total else { return .completed }
            let end = min(total, offset + Int64(size))
            // The whole material in one body (most are): the bytes as they are, not a copy.
            let chunk = offset == 0 && end == total ? data : data.subdata(in: Int(offset)..<Int(end))
            try await willSend(chunk.count)
            let response: HTTPResponse
            let sentAt = Date()
            do {
                response = try await api.transport.send(
                    patchRequest(target, offset: offset, chunk: chunk, checksummed: end < total))
            } catch let error where error.isTransient {
                // The server may or may not hold the chunk: ask, after a short pause.
                if let held = try await resync(target, after: error) { offset = held } else { url = nil }
                continue
            } catch {
                throw APIClient.error(from: error)
            }
            switch response.status {
            case 204:
                offset = response.header("upload-offset").flatMap { Int64($0) } ?? end
                sentThisRun += Int64(chunk.count)
                size = Self.nextChunkSize(
                    after: chunk.count, seconds: Date().timeIntervalSince(sentAt),
                    current: size, range: chunkSize...max(chunkSize, maxChunkSize))
                let seconds = max(Date().timeIntervalSince(started), 0.001)
                progress(
                    UploadProgress(
                        item: item, sent: offset, total: total, bytesPerSecond: Double(sentThisRun) / seconds))
            case 460 where checksumFailures < 2:
                checksumFailures += 1  // damaged in transit: the server dropped it; send it again
            case 503 where busyAnswers < 20:
                busyAnswers += 1
                try await waitAsAsked(response)
            case 409:
                if let held = try await head(target) { offset = held } else { url = nil }
            case 423 where busyAnswers < 40:
                // Another request (an earlier, cut-off PATCH) still holds the upload: wait, ask, go
                // on. Up to about 70 s: a server lease that nobody renews runs out after 60 s.
                busyAnswers += 1
                try await Task.sleep(for: .milliseconds(min(250 * busyAnswers, 2000)))
                if let held = try await head(target) { offset = held } else { url = nil }
            case 404, 410:
                url = nil  // expired or gone: start over with a new upload
                try await remember(nil)
            default:
                throw APIClient.error(from: response)
            }
        }
    }

    /// About one second's worth at the rate the last full chunk went through, within `range`:
    /// on a fast link the rest of a material goes in one PATCH after the first (a ladder of ×4
    /// steps took three for 10 MB), on a slow one a chunk stays quick to resend.
    static func nextChunkSize(after bytes: Int, seconds: Double, current: Int, range: ClosedRange<Int>) -> Int {
        guard bytes >= current else { return current }  // a short last chunk says little
        let perSecond = Double(bytes) / max(seconds, 0.001)
        return min(range.upperBound, max(range.lowerBound, Int(perSecond.rounded(.down))))
    }

    /// The last chunk goes without a checksum: the server hashes the whole file as that chunk
    /// arrives and refuses a damaged one all the same (460, the upload starts over; TLS makes
    /// that all but impossible), and hashing up to 10 MB here before sending held the bytes back.
    private func patchRequest(_ url: String, offset: Int64, chunk: Data, checksummed: Bool) -> HTTPRequest {
        var request = HTTPRequest(method: "PATCH", url: absolute(url), body: chunk)
        request.timeout = 60 + Double(chunk.count) / 32_768
        request.headers =
            headers + [("Content-Type", "application/offset+octet-stream"), ("Upload-Offset", String(offset))]
        if checksummed {
            request.headers.append(
                ("Upload-Checksum", "sha256 " + Data(SHA256.hash(data: chunk)).base64EncodedString()))
        }
        return request
    }

    /// A server at its cap of uploads at once stored nothing of the request: wait as it asks
    /// (spread out, so waiting clients do not return together).
    private func waitAsAsked(_ response: HTTPResponse) async throws {
        let asked = min(30, max(1, response.header("retry-after").flatMap { Double($0) } ?? 2))
        try await Task.sleep(for: .seconds(asked * Double.random(in: 0.5...1.5)))
    }

    /// tus creation; with a body, creation-with-upload (the whole file, hashed by the server as
    /// it arrives, so it needs no `Upload-Checksum`).
    private func creationRequest(materialId: String, length: Int64, sha256: String, body: Data) -> HTTPRequest {
        var request = HTTPRequest(method: "POST", url: api.baseURL + "/v1/uploads", body: body)
        let metadata = [("materialId", materialId), ("sha256", sha256)]
            .map { "\($0.0) \(Data($0.1.utf8).base64EncodedString())" }.joined(separator: ",")
        request.headers = headers + [("Upload-Length", String(length)), ("Upload-Metadata", metadata)]
        if !body.isEmpty {
            request.timeout = 60 + Double(body.count) / 32_768
            request.headers.append(("Content-Type", "application/offset+octet-stream"))
        }
        return request
    }

    /// The new upload's URL, or nil when the server already holds this material.
    private func create(materialId: String, length: Int64, sha256: String) async throws -> String? {
        let request = creationRequest(materialId: materialId, length: length, sha256: sha256, body: Data())
        let response = try await api.sendWithRetry(request)
        if response.status == 409 { return nil }
        guard response.status == 201, let location = response.header("location") else {
            throw APIClient.error(from: response)
        }
        return location
    }

    /// The offset the server holds, or nil when the upload is gone.
    private func head(_ url: String) async throws -> Int64? {
        var request = HTTPRequest(method: "HEAD", url: absolute(url))
        request.headers = headers
        let response = try await api.sendWithRetry(request)
        switch response.status {
        case 200: return response.header("upload-offset").flatMap { Int64($0) }
        case 404, 410: return nil
        default: throw APIClient.error(from: response)
        }
    }

    private func resync(_ url: String, after error: TransportError) async throws -> Int64? {
        try await Task.sleep(for: .milliseconds(Int.random(in: 100...400)))
        return try await head(url)
    }

    private var headers: [(String, String)] {
        var h = [("Tus-Resumable", Self.tusVersion)]
        if let token = api.token { h.append(("Authorization", "Bearer \(token)")) }
        return h
    }

    private func absolute(_ url: String) -> String { url.hasPrefix("/") ? api.baseURL + url : url }
}

import Foundation
import SyncProtocol

extension APIClient {
    /// A file body by GET (material downloads), with the same headers, retries and server errors
    /// as the JSON routes. The timeout is a full minute plus the expected bytes at 32 KiB/s, as
    /// for uploads, so a slow link still finishes and a stalled one does not wait for ever.
    func download(_ path: String, expectedBytes: Int) async throws -> Data {
        var request = HTTPRequest(method: "GET", url: baseURL + path)
        request.headers = [("Accept", "*/*"), (ProtocolVersion.header, String(ProtocolVersion.current))]
        if let token { request.headers.append(("Authorization", "Bearer \(token)")) }
        request.timeout = 60 + Double(max(0, expectedBytes)) / 32_768
        let response = try await sendWithRetry(request)
        guard (200..<300).contains(response.status) else { throw Self.error(from: response) }
        return response.body
    }
}
